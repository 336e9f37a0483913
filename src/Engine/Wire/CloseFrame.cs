using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace ProgMp.Engine.Wire;

/// <summary>
/// Ends the session, on whichever subflow it is sent; during a handshake it refuses only that
/// connection (docs/protocol.md, "CLOSE"). Its layout never changes across versions, so that a peer
/// can always read why it was turned away.
/// </summary>
/// <remarks>
/// The message is a hint for the log, UTF-8, at most 255 bytes; a receiver must not act on it. A frame
/// made for sending holds it as a string (cut at a character boundary to fit), a decoded frame as
/// bytes borrowed from the input; <see cref="GetMessage"/> gives the string either way.
/// </remarks>
internal readonly struct CloseFrame : IFrame
{
    /// <summary>Reason (2), detail (2), frame type (1), message length (1).</summary>
    public const int FixedLength = 6;

    private readonly string? _messageText;
    private readonly int _messageTextLength;

    public readonly CloseReason Reason;

    /// <summary>
    /// Depends on <see cref="Reason"/>: a <see cref="ProtocolErrorReason"/> for
    /// <see cref="CloseReason.ProtocolError"/>, the highest version the sender speaks for
    /// <see cref="CloseReason.UnsupportedVersion"/>, otherwise 0.
    /// </summary>
    public readonly ushort Detail;

    /// <summary>For a protocol error, the type byte of the offending frame; otherwise 0.</summary>
    public readonly byte RawFrameType;

    /// <summary>The UTF-8 message of a decoded frame; empty for a frame made with a string.</summary>
    public readonly ReadOnlySequence<byte> MessageBytes;

    public CloseFrame(CloseReason reason, ushort detail = 0, byte rawFrameType = 0, string? message = null)
    {
        Reason = reason;
        Detail = detail;
        RawFrameType = rawFrameType;
        MessageBytes = ReadOnlySequence<byte>.Empty;
        _messageText = string.IsNullOrEmpty(message) ? null : message;
        _messageTextLength = _messageText is null ? 0 : EncodeMessage(_messageText, stackalloc byte[WireFormat.MaxCloseMessageLength]);
    }

    private CloseFrame(CloseReason reason, ushort detail, byte rawFrameType, ReadOnlySequence<byte> messageBytes)
    {
        Reason = reason;
        Detail = detail;
        RawFrameType = rawFrameType;
        MessageBytes = messageBytes;
    }

    /// <summary>The close that ends a session after <paramref name="error"/>.</summary>
    public static CloseFrame ForProtocolError(in ProtocolError error) =>
        new(CloseReason.ProtocolError, (ushort)error.Reason, error.RawType, error.Message);

    public static FrameType Type => FrameType.Close;

    public byte Flags => 0;

    public int BodyLength => FixedLength + MessageLength;

    private int MessageLength => _messageText is null ? (int)MessageBytes.Length : _messageTextLength;

    /// <summary>The message as a string (allocates for a decoded frame): for the log.</summary>
    public string GetMessage() => _messageText ?? Encoding.UTF8.GetString(MessageBytes);

    public void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)Reason);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Detail);
        destination[4] = RawFrameType;
        destination[5] = (byte)MessageLength;
        if (_messageText is null)
        {
            MessageBytes.CopyTo(destination[FixedLength..]);
        }
        else
        {
            EncodeMessage(_messageText, destination.Slice(FixedLength, _messageTextLength));
        }
    }

    /// <summary>UTF-8 bytes of as many whole characters as fit; invalid UTF-16 becomes U+FFFD.</summary>
    private static int EncodeMessage(string message, Span<byte> destination)
    {
        Utf8.FromUtf16(message, destination, out _, out var written, replaceInvalidSequences: true, isFinalBlock: true);
        return written;
    }

    internal static bool TryRead(ReadOnlySpan<byte> head, ReadOnlySequence<byte> body, out CloseFrame frame, out ProtocolError error)
    {
        frame = default;
        var messageLength = head[5];
        if (body.Length != FixedLength + messageLength)
        {
            error = new(ProtocolErrorReason.InvalidLength, (byte)Type, "The close frame's message length disagrees with the frame length.");
            return false;
        }

        frame = new(
            (CloseReason)BinaryPrimitives.ReadUInt16BigEndian(head),
            BinaryPrimitives.ReadUInt16BigEndian(head[2..]),
            head[4],
            body.Slice(FixedLength));
        error = default;
        return true;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"CLOSE reason={Reason} detail={Detail} frame=0x{RawFrameType:X2} message=\"{GetMessage()}\"");
}
