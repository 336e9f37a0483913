using System.Buffers;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Wire;

/// <summary>Helpers shared by the wire tests: sequences cut into segments, re-encoding, feeding.</summary>
internal static class WireTestKit
{
    /// <summary>The bytes as a sequence whose segments end at the given offsets.</summary>
    public static ReadOnlySequence<byte> Segmented(ReadOnlyMemory<byte> bytes, params int[] cuts)
    {
        if (bytes.IsEmpty)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var bounds = cuts.Where(c => c > 0 && c < bytes.Length).Distinct().Order().Append(bytes.Length).ToArray();
        var first = new Segment(bytes[..bounds[0]], 0);
        var last = first;
        for (var i = 1; i < bounds.Length; i++)
        {
            last = last.Append(bytes[bounds[i - 1]..bounds[i]]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>The bytes as a sequence of one-byte segments.</summary>
    public static ReadOnlySequence<byte> OneByteSegments(ReadOnlyMemory<byte> bytes) =>
        Segmented(bytes, Enumerable.Range(1, Math.Max(0, bytes.Length - 1)).ToArray());

    /// <summary>Encodes a decoded frame again, so a test can compare it with the bytes it came from.</summary>
    public static byte[] Encode(in Frame frame) => frame.Type switch
    {
        FrameType.Setup => Encode(frame.Setup),
        FrameType.SetupAck => Encode(frame.SetupAck),
        FrameType.JoinRequest => Encode(frame.JoinRequest),
        FrameType.JoinChallenge => Encode(frame.JoinChallenge),
        FrameType.JoinConfirm => Encode(frame.JoinConfirm),
        FrameType.JoinAccept => Encode(default(JoinAcceptFrame)),
        FrameType.Close => Encode(frame.Close),
        FrameType.StreamOpen => Encode(frame.StreamOpen),
        FrameType.Data => Encode(frame.Data),
        FrameType.DataAck => Encode(frame.DataAck),
        FrameType.StreamReset => Encode(frame.StreamReset),
        FrameType.Ping => Encode(frame.Ping),
        FrameType.Pong => Encode(frame.Pong),
        FrameType.PathAdd => Encode(frame.PathAdd),
        FrameType.PathRemove => Encode(frame.PathRemove),
        FrameType.PathPriority => Encode(frame.PathPriority),
        _ => throw new ArgumentOutOfRangeException(nameof(frame), frame.Type, "Not a frame."),
    };

    public static byte[] Encode<T>(in T frame)
        where T : struct, IFrame
    {
        var bytes = new byte[FrameEncoder.GetLength(frame)];
        FrameEncoder.Write(bytes, frame);
        return bytes;
    }

    /// <summary>Decodes a buffer that must hold exactly one whole frame.</summary>
    public static Frame DecodeOne(byte[] bytes)
    {
        var status = FrameDecoder.Decode(bytes, out var frame, out var consumed, out var error);
        Assert.That(status, Is.EqualTo(DecodeStatus.Decoded), error.ToString());
        Assert.That(consumed, Is.EqualTo(bytes.Length));
        return frame;
    }

    /// <summary>Decodes a buffer that must be refused; returns why.</summary>
    public static ProtocolError DecodeError(byte[] bytes)
    {
        var sequence = new ReadOnlySequence<byte>(bytes);
        var status = FrameDecoder.Decode(ref sequence, out _, out var error);
        Assert.That(status, Is.EqualTo(DecodeStatus.Error));
        Assert.That(sequence.Length, Is.EqualTo(bytes.Length), "an error consumes nothing");
        return error;
    }

    /// <summary>
    /// Plays the bytes into a receiver as a pipe would: chunks arrive (ending at the given offsets),
    /// after each the receiver decodes every whole frame, re-encodes it at once (its borrowed parts
    /// are valid only until then) and keeps the rest, segment boundaries included, for the next round.
    /// Returns the re-encoded frames back to back, and the status that ended the last round.
    /// </summary>
    public static (byte[] Reencoded, DecodeStatus Last, ProtocolError Error) Feed(byte[] bytes, IReadOnlyList<int> arrivals)
    {
        var output = new List<byte>();
        var consumed = 0;
        var status = DecodeStatus.NeedMoreData;
        ProtocolError error = default;
        var boundaries = arrivals.Append(bytes.Length).Where(a => a > 0 && a <= bytes.Length).Distinct().Order().ToArray();
        foreach (var received in boundaries)
        {
            var cuts = boundaries.Where(b => b > consumed && b < received).Select(b => b - consumed).ToArray();
            var buffer = Segmented(bytes.AsMemory(consumed, received - consumed), cuts);
            var before = buffer.Length;
            while ((status = FrameDecoder.Decode(ref buffer, out var frame, out error)) == DecodeStatus.Decoded)
            {
                output.AddRange(Encode(frame));
            }

            consumed += (int)(before - buffer.Length);
            if (status == DecodeStatus.Error)
            {
                break;
            }
        }

        return (output.ToArray(), status, error);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
