namespace ProgMp.Engine.Wire;

/// <summary>What the header of one frame type may say (<see cref="WireFormat.TryGetRules"/>).</summary>
/// <param name="MinBody">Shortest body; a shorter length field is <see cref="ProtocolErrorReason.InvalidLength"/>.</param>
/// <param name="MaxBody">Longest body; a longer length field is <see cref="ProtocolErrorReason.FrameTooLarge"/>.</param>
/// <param name="AllowedFlags">Flag bits that may be set; any other is <see cref="ProtocolErrorReason.InvalidFlags"/>.</param>
internal readonly record struct FrameRules(int MinBody, int MaxBody, byte AllowedFlags)
{
    /// <summary>True when made by the constructor; <c>default</c> stands for an unknown type.</summary>
    public bool IsKnown { get; } = true;
}
