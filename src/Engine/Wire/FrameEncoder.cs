using System.Buffers;
using System.Buffers.Binary;

namespace ProgMp.Engine.Wire;

/// <summary>
/// Writes frames (docs/protocol.md, "Framing"). Generic over <see cref="IFrame"/> with a struct
/// constraint, so each frame kind gets its own code and nothing is boxed or allocated.
/// </summary>
/// <remarks>
/// Frames check their fields when constructed, so a frame that exists can be written; the only
/// failure left is a destination that is too small, which is the caller's bug and throws.
/// </remarks>
internal static class FrameEncoder
{
    /// <summary>Header plus body: the bytes <see cref="Write{T}(Span{byte}, in T)"/> will write.</summary>
    public static int GetLength<T>(in T frame)
        where T : struct, IFrame => WireFormat.HeaderLength + frame.BodyLength;

    /// <summary>Writes the frame at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write<T>(Span<byte> destination, in T frame)
        where T : struct, IFrame
    {
        if (!TryWrite(destination, frame, out var written))
        {
            throw new ArgumentException("The destination is too small for the frame.", nameof(destination));
        }

        return written;
    }

    /// <summary>Writes the frame, or returns false (writing nothing) when it does not fit.</summary>
    public static bool TryWrite<T>(Span<byte> destination, in T frame, out int written)
        where T : struct, IFrame
    {
        var body = frame.BodyLength;
        var total = WireFormat.HeaderLength + body;
        if (destination.Length < total)
        {
            written = 0;
            return false;
        }

        WriteHeader(destination, T.Type, frame.Flags, body);
        frame.WriteBody(destination.Slice(WireFormat.HeaderLength, body));
        written = total;
        return true;
    }

    /// <summary>Writes the frame into <paramref name="writer"/> (a <c>PipeWriter</c>, say) and advances it.</summary>
    public static int Write<T>(IBufferWriter<byte> writer, in T frame)
        where T : struct, IFrame
    {
        ArgumentNullException.ThrowIfNull(writer);
        var total = GetLength(frame);
        var written = Write(writer.GetSpan(total), frame);
        writer.Advance(written);
        return written;
    }

    /// <summary>Header and fixed fields of a data frame: what precedes the payload.</summary>
    public const int DataPrefixLength = WireFormat.HeaderLength + DataFrame.FixedLength;

    /// <summary>
    /// Writes a data frame's first <see cref="DataPrefixLength"/> bytes, with a length field that counts
    /// the payload, but not the payload itself: for a sender that hands the payload to the socket
    /// straight from its own buffer rather than copying it next to the header.
    /// </summary>
    public static int WriteDataPrefix(Span<byte> destination, in DataFrame frame)
    {
        if (destination.Length < DataPrefixLength)
        {
            throw new ArgumentException("The destination is too small for a data frame's prefix.", nameof(destination));
        }

        WriteHeader(destination, FrameType.Data, frame.Flags, frame.BodyLength);
        frame.WriteFixed(destination[WireFormat.HeaderLength..]);
        return DataPrefixLength;
    }

    private static void WriteHeader(Span<byte> destination, FrameType type, byte flags, int bodyLength)
    {
        destination[0] = (byte)type;
        destination[1] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)bodyLength);
    }
}
