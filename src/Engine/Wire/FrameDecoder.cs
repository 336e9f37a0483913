using System.Buffers;
using System.Buffers.Binary;

namespace ProgMp.Engine.Wire;

/// <summary>
/// Reads frames (docs/protocol.md, "Framing" and "Errors"). Stateless: each call looks only at the
/// bytes it is given, so one session's bad input cannot touch another's, and the same frames decode
/// the same whether they arrive whole, byte by byte or back to back.
/// </summary>
/// <remarks>
/// Bad input is never an exception: the result is <see cref="DecodeStatus.Error"/> with a
/// <see cref="ProtocolError"/>, after which the caller ends the session. The header is checked as soon
/// as its bytes arrive (type at the first byte, flags at the second, length bounds at the sixth), so a
/// hostile length is refused before the decoder waits for, or anyone allocates, the body it claims.
/// </remarks>
internal static class FrameDecoder
{
    /// <summary>
    /// Decodes the frame at the start of <paramref name="buffer"/>. On <see cref="DecodeStatus.Decoded"/>
    /// <paramref name="buffer"/> is advanced past the frame; otherwise it is left as it was.
    /// </summary>
    /// <remarks>
    /// Read loop: decode until the result is not <see cref="DecodeStatus.Decoded"/>, then
    /// <c>AdvanceTo(buffer.Start, buffer.End)</c>. The frame's borrowed parts stay valid until then.
    /// </remarks>
    public static DecodeStatus Decode(ref ReadOnlySequence<byte> buffer, out Frame frame, out ProtocolError error)
    {
        frame = default;
        error = default;
        if (buffer.IsEmpty)
        {
            return DecodeStatus.NeedMoreData;
        }

        Span<byte> scratch = stackalloc byte[WireFormat.MaxFixedPrefix];
        var header = Prefix(buffer, (int)Math.Min(buffer.Length, WireFormat.HeaderLength), scratch);
        var type = header[0];
        if (!WireFormat.TryGetRules(type, out var rules))
        {
            error = new(ProtocolErrorReason.UnknownFrameType, type, "The frame type is not defined in this protocol version.");
            return DecodeStatus.Error;
        }

        if (header.Length < 2)
        {
            return DecodeStatus.NeedMoreData;
        }

        var flags = header[1];
        if ((flags & ~rules.AllowedFlags) != 0)
        {
            error = new(ProtocolErrorReason.InvalidFlags, type, "The frame sets a flag its type does not define.");
            return DecodeStatus.Error;
        }

        if (header.Length < WireFormat.HeaderLength)
        {
            return DecodeStatus.NeedMoreData;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header[2..]);
        if (length > rules.MaxBody)
        {
            error = new(ProtocolErrorReason.FrameTooLarge, type, "The frame's length exceeds the largest its type allows.");
            return DecodeStatus.Error;
        }

        if (length < rules.MinBody)
        {
            error = new(ProtocolErrorReason.InvalidLength, type, "The frame's length is below the smallest its type allows.");
            return DecodeStatus.Error;
        }

        if (buffer.Length - WireFormat.HeaderLength < length)
        {
            return DecodeStatus.NeedMoreData;
        }

        var body = buffer.Slice(WireFormat.HeaderLength, length);
        var head = Prefix(body, (int)Math.Min(length, WireFormat.MaxFixedPrefix), scratch);
        if (!TryReadBody((FrameType)type, flags, head, body, out frame, out error))
        {
            return DecodeStatus.Error;
        }

        buffer = buffer.Slice(body.End);
        return DecodeStatus.Decoded;
    }

    /// <summary>
    /// Decodes the frame at the start of a contiguous buffer (a pooled receive buffer, say);
    /// <paramref name="consumed"/> is the frame's length on <see cref="DecodeStatus.Decoded"/>, else 0.
    /// </summary>
    public static DecodeStatus Decode(ReadOnlyMemory<byte> buffer, out Frame frame, out int consumed, out ProtocolError error)
    {
        var sequence = new ReadOnlySequence<byte>(buffer);
        var status = Decode(ref sequence, out frame, out error);
        consumed = status == DecodeStatus.Decoded ? buffer.Length - (int)sequence.Length : 0;
        return status;
    }

    /// <summary>The first <paramref name="count"/> bytes as one span: borrowed if contiguous, else copied.</summary>
    private static ReadOnlySpan<byte> Prefix(in ReadOnlySequence<byte> sequence, int count, Span<byte> scratch)
    {
        var first = sequence.FirstSpan;
        if (first.Length >= count)
        {
            return first[..count];
        }

        sequence.Slice(0, count).CopyTo(scratch);
        return scratch[..count];
    }

    private static bool TryReadBody(
        FrameType type,
        byte flags,
        ReadOnlySpan<byte> head,
        ReadOnlySequence<byte> body,
        out Frame frame,
        out ProtocolError error)
    {
        frame = default;
        switch (type)
        {
            case FrameType.Setup:
                if (!SetupFrame.TryRead(head, out var setup, out error))
                {
                    return false;
                }

                frame = new(setup);
                return true;

            case FrameType.SetupAck:
                if (!SetupAckFrame.TryRead(head, out var setupAck, out error))
                {
                    return false;
                }

                frame = new(setupAck);
                return true;

            case FrameType.JoinRequest:
                if (!JoinRequestFrame.TryRead(flags, head, out var joinRequest, out error))
                {
                    return false;
                }

                frame = new(joinRequest);
                return true;

            case FrameType.JoinChallenge:
                if (!JoinChallengeFrame.TryRead(head, out var joinChallenge, out error))
                {
                    return false;
                }

                frame = new(joinChallenge);
                return true;

            case FrameType.JoinConfirm:
                if (!JoinConfirmFrame.TryRead(head, out var joinConfirm, out error))
                {
                    return false;
                }

                frame = new(joinConfirm);
                return true;

            case FrameType.JoinAccept:
                error = default;
                frame = new(default(JoinAcceptFrame));
                return true;

            case FrameType.Close:
                if (!CloseFrame.TryRead(head, body, out var close, out error))
                {
                    return false;
                }

                frame = new(close);
                return true;

            case FrameType.StreamOpen:
                if (!StreamOpenFrame.TryRead(head, body, out var streamOpen, out error))
                {
                    return false;
                }

                frame = new(streamOpen);
                return true;

            case FrameType.Data:
                if (!DataFrame.TryRead(flags, head, body, out var data, out error))
                {
                    return false;
                }

                frame = new(data);
                return true;

            case FrameType.DataAck:
                if (!DataAckFrame.TryRead(flags, head, out var dataAck, out error))
                {
                    return false;
                }

                frame = new(dataAck);
                return true;

            case FrameType.StreamReset:
                if (!StreamResetFrame.TryRead(head, out var streamReset, out error))
                {
                    return false;
                }

                frame = new(streamReset);
                return true;

            case FrameType.Ping:
                if (!PingFrame.TryRead(head, out var ping, out error))
                {
                    return false;
                }

                frame = new(ping);
                return true;

            case FrameType.Pong:
                if (!PongFrame.TryRead(head, out var pong, out error))
                {
                    return false;
                }

                frame = new(pong);
                return true;

            case FrameType.PathAdd:
                if (!PathAddFrame.TryRead(flags, head, out var pathAdd, out error))
                {
                    return false;
                }

                frame = new(pathAdd);
                return true;

            case FrameType.PathRemove:
                if (!PathRemoveFrame.TryRead(head, out var pathRemove, out error))
                {
                    return false;
                }

                frame = new(pathRemove);
                return true;

            case FrameType.PathPriority:
                if (!PathPriorityFrame.TryRead(flags, head, out var pathPriority, out error))
                {
                    return false;
                }

                frame = new(pathPriority);
                return true;

            default:
                // Unreachable: the header check admits only the types above.
                error = new(ProtocolErrorReason.UnknownFrameType, (byte)type, "The frame type is not defined in this protocol version.");
                return false;
        }
    }
}
