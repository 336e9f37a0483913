using System.Buffers.Binary;
using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// Aborts a stream in both directions (docs/protocol.md, "STREAM_RESET"): unacknowledged data is
/// dropped, unlike a FIN which delivers everything first. The receiver answers nothing; the id stays used.
/// </summary>
internal readonly struct StreamResetFrame : IFrame
{
    /// <summary>Stream id (4), reason (2).</summary>
    public const int FixedLength = 6;

    public readonly uint StreamId;

    public readonly StreamResetReason Reason;

    public StreamResetFrame(uint streamId, StreamResetReason reason)
    {
        ArgumentOutOfRangeException.ThrowIfZero(streamId);
        StreamId = streamId;
        Reason = reason;
    }

    public static FrameType Type => FrameType.StreamReset;

    public byte Flags => 0;

    public int BodyLength => FixedLength;

    public void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, StreamId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)Reason);
    }

    internal static bool TryRead(ReadOnlySpan<byte> head, out StreamResetFrame frame, out ProtocolError error)
    {
        frame = default;
        var streamId = BinaryPrimitives.ReadUInt32BigEndian(head);
        if (streamId == 0)
        {
            error = new(ProtocolErrorReason.InvalidStreamId, (byte)Type, "The stream reset names stream 0.");
            return false;
        }

        frame = new(streamId, (StreamResetReason)BinaryPrimitives.ReadUInt16BigEndian(head[4..]));
        error = default;
        return true;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"STREAM_RESET stream={StreamId} reason={Reason}");
}
