namespace ProgMp.Emulation;

/// <summary>One direction of an emulated path, named by where the bytes go.</summary>
public enum PathDirection
{
    /// <summary>From the connecting client to the emulator's target.</summary>
    ToTarget,

    /// <summary>From the target back to the client.</summary>
    ToClient,
}
