using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// Opens a stream (docs/protocol.md, "STREAM_OPEN"), optionally naming the destination the peer, as
/// the remote proxy, should connect it to. The opener may send data right after it, without waiting.
/// </summary>
/// <remarks>
/// Stream ids are 32-bit, never 0; the client (the side that sent SETUP) opens odd ids, the server
/// even ones, each side in increasing order (<see cref="StreamIds"/>).
/// </remarks>
internal readonly struct StreamOpenFrame : IFrame
{
    /// <summary>Stream id (4), destination kind (1).</summary>
    public const int FixedLength = 5;

    /// <summary>With the longest destination: port (2), name length (1), 255 name bytes.</summary>
    public const int MaxLength = FixedLength + 3 + WireFormat.MaxHostNameLength;

    public readonly uint StreamId;

    public readonly Destination Destination;

    public StreamOpenFrame(uint streamId, Destination destination)
    {
        ArgumentOutOfRangeException.ThrowIfZero(streamId);
        StreamId = streamId;
        Destination = destination;
    }

    public static FrameType Type => FrameType.StreamOpen;

    public byte Flags => 0;

    public int BodyLength => FixedLength + Destination.EncodedLength;

    public void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, StreamId);
        destination[4] = (byte)Destination.Kind;
        Destination.Write(destination[FixedLength..]);
    }

    internal static bool TryRead(ReadOnlySpan<byte> head, ReadOnlySequence<byte> body, out StreamOpenFrame frame, out ProtocolError error)
    {
        frame = default;
        var streamId = BinaryPrimitives.ReadUInt32BigEndian(head);
        if (streamId == 0)
        {
            error = new(ProtocolErrorReason.InvalidStreamId, (byte)Type, "The stream open names stream 0.");
            return false;
        }

        if (!Destination.TryRead((DestinationKind)head[4], head[FixedLength..], body.Slice(FixedLength), out var destination, out error))
        {
            return false;
        }

        frame = new(streamId, destination);
        return true;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"STREAM_OPEN stream={StreamId} destination={Destination}");
}
