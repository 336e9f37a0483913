using System.Buffers;
using ProgMp.Engine.Wire;
using static ProgMp.Engine.Tests.Wire.WireTestKit;

namespace ProgMp.Engine.Tests.Wire;

public sealed class FrameRoundTripTests
{
    private static IEnumerable<TestCaseData> Cases() => FrameSamples.Cases(FrameSamples.All);

    /// <summary>
    /// Feeding byte by byte keeps every byte so far as its own segment, which costs the square of the
    /// frame's length; the 64 KiB frame is covered by the prefix and one-byte-segment tests instead.
    /// </summary>
    private static IEnumerable<TestCaseData> SmallCases() => FrameSamples.Cases(FrameSamples.Small);

    [TestCaseSource(nameof(Cases))]
    public void Every_frame_decodes_to_what_was_encoded(WireSample sample)
    {
        var frame = DecodeOne(sample.Bytes);

        Assert.That(frame.ToString(), Is.EqualTo(sample.Text));
        Assert.That(Encode(frame), Is.EqualTo(sample.Bytes));
    }

    [TestCaseSource(nameof(Cases))]
    public void Every_frame_decodes_the_same_from_one_byte_segments(WireSample sample)
    {
        var buffer = OneByteSegments(sample.Bytes);

        var status = FrameDecoder.Decode(ref buffer, out var frame, out var error);

        Assert.That(status, Is.EqualTo(DecodeStatus.Decoded), error.ToString());
        Assert.That(buffer.Length, Is.Zero);
        Assert.That(frame.ToString(), Is.EqualTo(sample.Text));
        Assert.That(Encode(frame), Is.EqualTo(sample.Bytes));
    }

    [TestCaseSource(nameof(Cases))]
    public void Every_truncated_frame_asks_for_more_data_and_consumes_nothing(WireSample sample)
    {
        var wrong = new List<string>();
        for (var length = 0; length < sample.Bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(sample.Bytes, 0, length);

            var status = FrameDecoder.Decode(ref buffer, out _, out var error);

            if (status != DecodeStatus.NeedMoreData || buffer.Length != length)
            {
                wrong.Add($"after {length} bytes: {status} {error}");
            }
        }

        Assert.That(wrong, Is.Empty);
    }

    [TestCaseSource(nameof(SmallCases))]
    public void Every_frame_fed_one_byte_at_a_time_decodes_as_when_whole(WireSample sample)
    {
        var arrivals = Enumerable.Range(1, sample.Bytes.Length).ToArray();

        var (reencoded, last, error) = Feed(sample.Bytes, arrivals);

        Assert.That(last, Is.EqualTo(DecodeStatus.NeedMoreData), error.ToString());
        Assert.That(reencoded, Is.EqualTo(sample.Bytes));
    }

    [Test]
    public void Frames_back_to_back_decode_the_same_split_at_every_byte_boundary()
    {
        var stream = FrameSamples.Small.SelectMany(s => s.Bytes).ToArray();

        for (var split = 0; split <= stream.Length; split++)
        {
            var (reencoded, last, error) = Feed(stream, [split]);

            Assert.That(last, Is.EqualTo(DecodeStatus.NeedMoreData), $"split at {split}: {error}");
            Assert.That(reencoded, Is.EqualTo(stream), $"split at {split}");
        }
    }

    [Test]
    public void Frames_back_to_back_decode_the_same_from_one_multi_segment_buffer()
    {
        var stream = FrameSamples.All.SelectMany(s => s.Bytes).ToArray();
        var cuts = Enumerable.Range(1, stream.Length / 997).Select(i => i * 997).ToArray();
        var buffer = Segmented(stream, cuts);
        var texts = new List<string>();

        while (FrameDecoder.Decode(ref buffer, out var frame, out _) == DecodeStatus.Decoded)
        {
            texts.Add(frame.ToString());
        }

        Assert.That(buffer.Length, Is.Zero);
        Assert.That(texts, Is.EqualTo(FrameSamples.All.Select(s => s.Text)));
    }

    [Test]
    public void A_data_frame_payload_is_borrowed_from_the_input_not_copied()
    {
        var bytes = FrameSamples.All.Single(s => s.Name == "data with the largest payload").Bytes;

        var frame = DecodeOne(bytes);

        Assert.That(frame.Data.Payload.IsSingleSegment, Is.True);
        Assert.That(
            System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frame.Data.Payload.First, out var segment),
            Is.True);
        Assert.That(segment.Array, Is.SameAs(bytes));
        Assert.That(segment.Offset, Is.EqualTo(FrameEncoder.DataPrefixLength));
        Assert.That(frame.Data.Payload.ToArray(), Is.EqualTo(FrameSamples.LargePayload));
    }

    [Test]
    public void An_opening_frame_ignores_bytes_a_later_version_appended()
    {
        var setup = new SetupFrame(1, 2, FrameSamples.Key(1), 1000);
        var bytes = Encode(setup);
        var extended = bytes.Concat(new byte[10]).ToArray();
        extended[5] += 10;

        var frame = DecodeOne(extended);

        Assert.That(frame.ToString(), Is.EqualTo(setup.ToString()));
    }

    [Test]
    public void An_opening_frame_ignores_flags_a_later_version_defined()
    {
        var request = new JoinRequestFrame(1, 7, FrameSamples.Nonce(2), 3, backup: true);
        var bytes = Encode(request);
        bytes[1] |= 0x80;

        var frame = DecodeOne(bytes);

        Assert.That(frame.ToString(), Is.EqualTo(request.ToString()));
    }

    [Test]
    public void A_long_close_message_is_cut_to_255_bytes_at_a_character_boundary()
    {
        var message = new string('é', 200);
        var close = new CloseFrame(CloseReason.InternalError, message: message);

        var frame = DecodeOne(Encode(close));

        Assert.That(frame.Close.MessageBytes.Length, Is.EqualTo(254));
        Assert.That(frame.Close.GetMessage(), Is.EqualTo(new string('é', 127)));
    }

    [Test]
    public void A_decoded_close_reports_reason_detail_and_frame_type()
    {
        var error = new ProtocolError(ProtocolErrorReason.FrameTooLarge, 0x20, "too large");

        var frame = DecodeOne(Encode(CloseFrame.ForProtocolError(error)));

        Assert.That(frame.Type, Is.EqualTo(FrameType.Close));
        Assert.That(frame.Close.Reason, Is.EqualTo(CloseReason.ProtocolError));
        Assert.That((ProtocolErrorReason)frame.Close.Detail, Is.EqualTo(ProtocolErrorReason.FrameTooLarge));
        Assert.That(frame.Close.RawFrameType, Is.EqualTo(0x20));
        Assert.That(frame.Close.GetMessage(), Is.EqualTo("too large"));
    }

    [Test]
    public void Decoding_from_a_contiguous_buffer_reports_the_bytes_of_the_first_frame()
    {
        var ping = Encode(new PingFrame(1));
        var pong = Encode(new PongFrame(1, 2, 3));
        var both = ping.Concat(pong).ToArray();

        var status = FrameDecoder.Decode(both, out var frame, out var consumed, out _);

        Assert.That(status, Is.EqualTo(DecodeStatus.Decoded));
        Assert.That(frame.Type, Is.EqualTo(FrameType.Ping));
        Assert.That(consumed, Is.EqualTo(ping.Length));
    }

    [Test]
    public void An_empty_buffer_asks_for_more_data()
    {
        var status = FrameDecoder.Decode(ReadOnlyMemory<byte>.Empty, out _, out var consumed, out _);

        Assert.That(status, Is.EqualTo(DecodeStatus.NeedMoreData));
        Assert.That(consumed, Is.Zero);
    }
}
