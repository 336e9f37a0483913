using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// Stream bytes at a data sequence number (docs/protocol.md, "DATA"), stamped with the sender's clock
/// and the sender's id for the subflow it went out on, so the acknowledgement can say which
/// transmission arrived and give that subflow an RTT sample.
/// </summary>
/// <remarks>
/// The scheduler's user value stays with the sender: it steers scheduling and means nothing to the
/// receiver. A decoded frame's <see cref="Payload"/> is borrowed from the decoder's input: copy what
/// you keep before the input is released.
/// </remarks>
internal readonly struct DataFrame : IFrame
{
    /// <summary>Stream id (4), data sequence number (8), timestamp (8), subflow id (2).</summary>
    public const int FixedLength = 4 + 8 + 8 + 2;

    /// <summary>The application flushed after these bytes (the packet's PSH).</summary>
    public const byte PushFlag = 0x01;

    /// <summary>
    /// The sender's direction of the stream ends after these bytes. The FIN takes one sequence number
    /// (at <c>Seq + length</c>), as in TCP, so the acknowledgement of the FIN is unambiguous.
    /// </summary>
    public const byte FinFlag = 0x02;

    internal const byte DefinedFlags = PushFlag | FinFlag;

    public readonly uint StreamId;

    /// <summary>Offset in the stream of the first payload byte; the stream starts at 0.</summary>
    public readonly long Seq;

    /// <summary>The sender's monotonic clock in microseconds when it wrote the frame.</summary>
    public readonly long Timestamp;

    /// <summary>The sender's own id for the subflow the frame was sent on; the receiver only echoes it.</summary>
    public readonly ushort SubflowId;

    public readonly bool Push;

    public readonly bool Fin;

    public readonly ReadOnlySequence<byte> Payload;

    public DataFrame(uint streamId, long seq, long timestamp, ushort subflowId, ReadOnlySequence<byte> payload, bool push = false, bool fin = false)
    {
        ArgumentOutOfRangeException.ThrowIfZero(streamId);
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, WireFormat.MaxDataPayload, nameof(payload));
        if (payload.IsEmpty && !fin)
        {
            throw new ArgumentException("A data frame without payload must carry the FIN.", nameof(payload));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(seq, long.MaxValue - payload.Length);
        StreamId = streamId;
        Seq = seq;
        Timestamp = timestamp;
        SubflowId = subflowId;
        Payload = payload;
        Push = push;
        Fin = fin;
    }

    public DataFrame(uint streamId, long seq, long timestamp, ushort subflowId, ReadOnlyMemory<byte> payload, bool push = false, bool fin = false)
        : this(streamId, seq, timestamp, subflowId, new ReadOnlySequence<byte>(payload), push, fin)
    {
    }

    private DataFrame(uint streamId, long seq, long timestamp, ushort subflowId, ReadOnlySequence<byte> payload, byte flags)
    {
        StreamId = streamId;
        Seq = seq;
        Timestamp = timestamp;
        SubflowId = subflowId;
        Payload = payload;
        Push = (flags & PushFlag) != 0;
        Fin = (flags & FinFlag) != 0;
    }

    public static FrameType Type => FrameType.Data;

    public byte Flags => (byte)((Push ? PushFlag : 0) | (Fin ? FinFlag : 0));

    /// <summary>Payload bytes, at most <see cref="WireFormat.MaxDataPayload"/>.</summary>
    public int Length => (int)Payload.Length;

    public int BodyLength => FixedLength + Length;

    public void WriteBody(Span<byte> destination)
    {
        WriteFixed(destination);
        Payload.CopyTo(destination[FixedLength..]);
    }

    /// <summary>Writes the fields before the payload (see <see cref="FrameEncoder.WriteDataPrefix"/>).</summary>
    internal void WriteFixed(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, StreamId);
        BinaryPrimitives.WriteInt64BigEndian(destination[4..], Seq);
        BinaryPrimitives.WriteInt64BigEndian(destination[12..], Timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(destination[20..], SubflowId);
    }

    internal static bool TryRead(byte flags, ReadOnlySpan<byte> head, ReadOnlySequence<byte> body, out DataFrame frame, out ProtocolError error)
    {
        frame = default;
        var streamId = BinaryPrimitives.ReadUInt32BigEndian(head);
        var seq = BinaryPrimitives.ReadInt64BigEndian(head[4..]);
        var timestamp = BinaryPrimitives.ReadInt64BigEndian(head[12..]);
        var payloadLength = body.Length - FixedLength;
        if (streamId == 0)
        {
            error = new(ProtocolErrorReason.InvalidStreamId, (byte)Type, "The data frame names stream 0.");
            return false;
        }

        if (payloadLength == 0 && (flags & FinFlag) == 0)
        {
            error = new(ProtocolErrorReason.InvalidLength, (byte)Type, "The data frame has neither payload nor FIN.");
            return false;
        }

        // The top bit set reads as negative: outside the 63-bit range the engine's counters use.
        if (seq < 0 || timestamp < 0 || seq >= long.MaxValue - payloadLength)
        {
            error = new(ProtocolErrorReason.InvalidField, (byte)Type, "The data frame's sequence number or timestamp is out of range.");
            return false;
        }

        frame = new(streamId, seq, timestamp, BinaryPrimitives.ReadUInt16BigEndian(head[20..]), body.Slice(FixedLength), flags);
        error = default;
        return true;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"DATA stream={StreamId} seq={Seq} length={Length} ts={Timestamp} subflow={SubflowId}{(Push ? " PSH" : "")}{(Fin ? " FIN" : "")}");
}
