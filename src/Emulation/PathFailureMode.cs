namespace ProgMp.Emulation;

/// <summary>How <see cref="PathEmulator.Fail"/> breaks a path.</summary>
public enum PathFailureMode
{
    /// <summary>
    /// Every relayed connection is reset (RST to both ends) and new connections are reset at once
    /// until <see cref="PathEmulator.Restore"/>: the failure a subflow sees at once as a socket error.
    /// </summary>
    Reset,

    /// <summary>
    /// The path goes silent: nothing is forwarded or read in either direction, connections stay open,
    /// bytes already read are held (not lost) and flow on after <see cref="PathEmulator.Restore"/>.
    /// The failure only a timeout can detect.
    /// </summary>
    Blackhole,
}
