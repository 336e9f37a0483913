using System.Buffers.Binary;
using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// The data-level acknowledgement of one stream (docs/protocol.md, "DATA_ACK"): everything below
/// <see cref="CumulativeAck"/> arrived, the receiver takes <see cref="Window"/> bytes beyond it, and
/// (with an <see cref="Echo"/>) which data frame prompted the ack, for RTT and one-way delay samples.
/// </summary>
/// <remarks>
/// Without an echo the frame is a window update; its echo fields are zero on the wire.
/// </remarks>
internal readonly struct DataAckFrame : IFrame
{
    /// <summary>
    /// Stream id (4), window (4), cumulative ack (8), timestamp (8), echo seq (8), echo timestamp (8),
    /// echo length (4), hold time (4), echo subflow id (2).
    /// </summary>
    public const int FixedLength = 4 + 4 + 8 + 8 + 8 + 8 + 4 + 4 + 2;

    /// <summary>The echo fields are set.</summary>
    public const byte EchoFlag = 0x01;

    public readonly uint StreamId;

    /// <summary>The next data sequence number the receiver expects; a received FIN counts as one.</summary>
    public readonly long CumulativeAck;

    /// <summary>Bytes the receiver accepts beyond <see cref="CumulativeAck"/>; the right edge never moves back.</summary>
    public readonly uint Window;

    /// <summary>The receiver's monotonic clock in microseconds when it wrote this ack.</summary>
    public readonly long Timestamp;

    public readonly bool HasEcho;

    /// <summary>Meaningful only when <see cref="HasEcho"/>.</summary>
    public readonly AckEcho Echo;

    /// <summary>A window update, or a cumulative ack that echoes no particular frame.</summary>
    public DataAckFrame(uint streamId, long cumulativeAck, uint window, long timestamp)
    {
        ArgumentOutOfRangeException.ThrowIfZero(streamId);
        ArgumentOutOfRangeException.ThrowIfNegative(cumulativeAck);
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        StreamId = streamId;
        CumulativeAck = cumulativeAck;
        Window = window;
        Timestamp = timestamp;
    }

    public DataAckFrame(uint streamId, long cumulativeAck, uint window, long timestamp, AckEcho echo)
        : this(streamId, cumulativeAck, window, timestamp)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(echo.Seq, nameof(echo));
        ArgumentOutOfRangeException.ThrowIfNegative(echo.Timestamp, nameof(echo));
        ArgumentOutOfRangeException.ThrowIfNegative(echo.Length, nameof(echo));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(echo.Length, WireFormat.MaxDataPayload, nameof(echo));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(echo.Seq, long.MaxValue - echo.Length, nameof(echo));
        HasEcho = true;
        Echo = echo;
    }

    private DataAckFrame(uint streamId, long cumulativeAck, uint window, long timestamp, bool hasEcho, AckEcho echo)
    {
        StreamId = streamId;
        CumulativeAck = cumulativeAck;
        Window = window;
        Timestamp = timestamp;
        HasEcho = hasEcho;
        Echo = echo;
    }

    public static FrameType Type => FrameType.DataAck;

    public byte Flags => HasEcho ? EchoFlag : (byte)0;

    public int BodyLength => FixedLength;

    public void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, StreamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Window);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], CumulativeAck);
        BinaryPrimitives.WriteInt64BigEndian(destination[16..], Timestamp);
        BinaryPrimitives.WriteInt64BigEndian(destination[24..], Echo.Seq);
        BinaryPrimitives.WriteInt64BigEndian(destination[32..], Echo.Timestamp);
        BinaryPrimitives.WriteInt32BigEndian(destination[40..], Echo.Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[44..], Echo.HoldTime);
        BinaryPrimitives.WriteUInt16BigEndian(destination[48..], Echo.SubflowId);
    }

    internal static bool TryRead(byte flags, ReadOnlySpan<byte> head, out DataAckFrame frame, out ProtocolError error)
    {
        frame = default;
        var streamId = BinaryPrimitives.ReadUInt32BigEndian(head);
        var cumulativeAck = BinaryPrimitives.ReadInt64BigEndian(head[8..]);
        var timestamp = BinaryPrimitives.ReadInt64BigEndian(head[16..]);
        var echoSeq = BinaryPrimitives.ReadInt64BigEndian(head[24..]);
        var echoTimestamp = BinaryPrimitives.ReadInt64BigEndian(head[32..]);
        var echoLength = BinaryPrimitives.ReadInt32BigEndian(head[40..]);
        var holdTime = BinaryPrimitives.ReadUInt32BigEndian(head[44..]);
        var echoSubflow = BinaryPrimitives.ReadUInt16BigEndian(head[48..]);
        if (streamId == 0)
        {
            error = new(ProtocolErrorReason.InvalidStreamId, (byte)Type, "The data acknowledgement names stream 0.");
            return false;
        }

        if (cumulativeAck < 0 || timestamp < 0)
        {
            error = new(ProtocolErrorReason.InvalidField, (byte)Type, "The data acknowledgement's cumulative ack or timestamp is out of range.");
            return false;
        }

        var hasEcho = (flags & EchoFlag) != 0;
        if (hasEcho
            ? echoSeq < 0 || echoTimestamp < 0 || echoLength is < 0 or > WireFormat.MaxDataPayload || echoSeq >= long.MaxValue - echoLength
            : echoSeq != 0 || echoTimestamp != 0 || echoLength != 0 || holdTime != 0 || echoSubflow != 0)
        {
            error = new(ProtocolErrorReason.InvalidField, (byte)Type, "The data acknowledgement's echo is out of range, or set without the echo flag.");
            return false;
        }

        var echo = new AckEcho(echoSeq, echoLength, echoTimestamp, echoSubflow, holdTime);
        frame = new(streamId, cumulativeAck, BinaryPrimitives.ReadUInt32BigEndian(head[4..]), timestamp, hasEcho, echo);
        error = default;
        return true;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"DATA_ACK stream={StreamId} ack={CumulativeAck} window={Window} ts={Timestamp}{(HasEcho ? " echo " + Echo.ToString() : "")}");
}
