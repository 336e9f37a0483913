using System.Buffers.Binary;
using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// Asks for a <see cref="PongFrame"/> on the same subflow (docs/protocol.md, "PING"), so an idle
/// subflow keeps fresh RTT and delay figures and a suspected one can show it is alive again.
/// </summary>
internal readonly struct PingFrame : IFrame
{
    public const int FixedLength = 8;

    /// <summary>The sender's monotonic clock in microseconds; the pong echoes it.</summary>
    public readonly long Timestamp;

    public PingFrame(long timestamp)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        Timestamp = timestamp;
    }

    public static FrameType Type => FrameType.Ping;

    public byte Flags => 0;

    public int BodyLength => FixedLength;

    public void WriteBody(Span<byte> destination) => BinaryPrimitives.WriteInt64BigEndian(destination, Timestamp);

    internal static bool TryRead(ReadOnlySpan<byte> head, out PingFrame frame, out ProtocolError error)
    {
        frame = default;
        var timestamp = BinaryPrimitives.ReadInt64BigEndian(head);
        if (timestamp < 0)
        {
            error = new(ProtocolErrorReason.InvalidField, (byte)Type, "The ping's timestamp is out of range.");
            return false;
        }

        frame = new(timestamp);
        error = default;
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"PING ts={Timestamp}");
}
