namespace ProgMp.Engine.Wire;

/// <summary>
/// The numbers that shape every frame (docs/protocol.md, "Framing" and "Limits"). All integers on the
/// wire are big-endian (network order).
/// </summary>
internal static class WireFormat
{
    /// <summary>Type (1), flags (1), body length (4).</summary>
    public const int HeaderLength = 6;

    /// <summary>
    /// Largest data payload, 64 KiB: the engine's packet size is configurable up to this, and every
    /// receiver accepts it, so nothing about it is negotiated.
    /// </summary>
    public const int MaxDataPayload = 64 * 1024;

    /// <summary>Host names are DNS names: at most 255 bytes.</summary>
    public const int MaxHostNameLength = 255;

    /// <summary>A close's message is a hint for the log; one length byte keeps it short.</summary>
    public const int MaxCloseMessageLength = 255;

    /// <summary>
    /// Setup and join requests may grow in later versions by appending fields; this version ignores
    /// the extra bytes but bounds them, so a hostile opener cannot make a receiver wait for much.
    /// </summary>
    public const int MaxOpeningBodyLength = 256;

    /// <summary>Largest body of any frame: a data frame with a full payload.</summary>
    public const int MaxBodyLength = DataFrame.FixedLength + MaxDataPayload;

    /// <summary>Largest frame on the wire.</summary>
    public const int MaxFrameLength = HeaderLength + MaxBodyLength;

    /// <summary>
    /// Opens <see cref="FrameType.Setup"/> and <see cref="FrameType.JoinRequest"/>: the ASCII bytes
    /// "PGMP", so a listener can tell a stray client (an HTTP request, a port scan) from a peer.
    /// </summary>
    public const uint Magic = 0x50_47_4D_50;

    /// <summary>
    /// Longest prefix of any body that the decoder reads as fixed fields; variable parts (payload,
    /// host name, message) are sliced, not copied.
    /// </summary>
    internal const int MaxFixedPrefix = 64;

    /// <summary>
    /// The body lengths a frame type allows and its defined flag bits, or false for an unknown type.
    /// Checked as soon as the header arrives, so an oversized length is refused before any body byte.
    /// </summary>
    public static bool TryGetRules(byte type, out FrameRules rules)
    {
        rules = (FrameType)type switch
        {
            FrameType.Setup => new(SetupFrame.FixedLength, MaxOpeningBodyLength, OpeningFlags),
            FrameType.SetupAck => Fixed(SetupAckFrame.FixedLength),
            FrameType.JoinRequest => new(JoinRequestFrame.FixedLength, MaxOpeningBodyLength, OpeningFlags),
            FrameType.JoinChallenge => Fixed(JoinChallengeFrame.FixedLength),
            FrameType.JoinConfirm => Fixed(JoinConfirmFrame.FixedLength),
            FrameType.JoinAccept => Fixed(0),
            FrameType.Close => new(CloseFrame.FixedLength, CloseFrame.FixedLength + MaxCloseMessageLength, 0),
            FrameType.StreamOpen => new(StreamOpenFrame.FixedLength, StreamOpenFrame.MaxLength, 0),
            FrameType.Data => new(DataFrame.FixedLength, MaxBodyLength, DataFrame.DefinedFlags),
            FrameType.DataAck => new(DataAckFrame.FixedLength, DataAckFrame.FixedLength, DataAckFrame.EchoFlag),
            FrameType.StreamReset => Fixed(StreamResetFrame.FixedLength),
            FrameType.Ping => Fixed(PingFrame.FixedLength),
            FrameType.Pong => Fixed(PongFrame.FixedLength),
            FrameType.PathAdd => new(PathAddFrame.MinLength, PathAddFrame.MaxLength, PathAddFrame.BackupFlag),
            FrameType.PathRemove => Fixed(PathRemoveFrame.FixedLength),
            FrameType.PathPriority => new(PathPriorityFrame.FixedLength, PathPriorityFrame.FixedLength, PathPriorityFrame.BackupFlag),
            _ => default,
        };
        return rules.IsKnown;
    }

    private static FrameRules Fixed(int length) => new(length, length, 0);

    /// <summary>
    /// Opening frames ignore flag bits they do not define, so that a later version may add some and
    /// still be refused cleanly with <see cref="CloseReason.UnsupportedVersion"/>.
    /// </summary>
    private const byte OpeningFlags = 0xFF;
}
