using System.Buffers.Binary;
using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// Answers a <see cref="PingFrame"/> on the subflow it arrived on (docs/protocol.md, "PONG"). The
/// pinger's RTT sample is <c>now − EchoTimestamp − HoldTime</c>; <see cref="Timestamp"/> gives the
/// one-way delays in each direction up to the clocks' offset.
/// </summary>
internal readonly struct PongFrame : IFrame
{
    /// <summary>Echo timestamp (8), timestamp (8), hold time (4).</summary>
    public const int FixedLength = 20;

    /// <summary>The ping's <see cref="PingFrame.Timestamp"/>.</summary>
    public readonly long EchoTimestamp;

    /// <summary>The responder's monotonic clock in microseconds when it wrote the pong.</summary>
    public readonly long Timestamp;

    /// <summary>Microseconds between the ping's arrival and the pong's sending.</summary>
    public readonly uint HoldTime;

    public PongFrame(long echoTimestamp, long timestamp, uint holdTime)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(echoTimestamp);
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        EchoTimestamp = echoTimestamp;
        Timestamp = timestamp;
        HoldTime = holdTime;
    }

    public static FrameType Type => FrameType.Pong;

    public byte Flags => 0;

    public int BodyLength => FixedLength;

    public void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, EchoTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], HoldTime);
    }

    internal static bool TryRead(ReadOnlySpan<byte> head, out PongFrame frame, out ProtocolError error)
    {
        frame = default;
        var echoTimestamp = BinaryPrimitives.ReadInt64BigEndian(head);
        var timestamp = BinaryPrimitives.ReadInt64BigEndian(head[8..]);
        if (echoTimestamp < 0 || timestamp < 0)
        {
            error = new(ProtocolErrorReason.InvalidField, (byte)Type, "The pong's timestamps are out of range.");
            return false;
        }

        frame = new(echoTimestamp, timestamp, BinaryPrimitives.ReadUInt32BigEndian(head[16..]));
        error = default;
        return true;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"PONG echo={EchoTimestamp} ts={Timestamp} hold={HoldTime}");
}
