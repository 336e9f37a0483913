using System.Buffers;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Wire;

/// <summary>
/// Encoding and decoding allocate nothing per frame. Measured with the thread's allocation counter
/// (not a timing): the work runs once to warm up, then several times measured, and the smallest count
/// must be 0. Taking the smallest keeps a one-off runtime allocation (a tier-up, a lazily built table)
/// from failing the test, while any per-frame allocation would show in every round.
/// </summary>
public sealed class WireAllocationTests
{
    private const int Frames = 1_000;

    [Test]
    public void Encoding_and_decoding_data_frames_allocates_nothing()
    {
        var payload = FrameSamples.Pattern(1_400, 3);
        var wire = new byte[FrameEncoder.DataPrefixLength + payload.Length];

        var allocated = SmallestAllocation(() =>
        {
            long checksum = 0;
            for (var i = 0; i < Frames; i++)
            {
                var data = new DataFrame(1, i * 1_400L, i, 2, payload, push: (i & 1) == 0);
                var written = FrameEncoder.Write(wire, data);
                var status = FrameDecoder.Decode(wire.AsMemory(0, written), out var frame, out var consumed, out _);
                checksum += (int)status + consumed + frame.Data.Payload.FirstSpan[i % 1_400];
            }

            return checksum;
        });

        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Decoding_data_frames_split_across_segments_allocates_nothing()
    {
        var payload = FrameSamples.Pattern(4_000, 5);
        var wire = TestBytes(new DataFrame(3, 0, 1, 1, payload));
        var buffer = WireTestKit.Segmented(wire, 3, 17, 1_000, 2_500);

        var allocated = SmallestAllocation(() =>
        {
            long checksum = 0;
            for (var i = 0; i < Frames; i++)
            {
                var input = buffer;
                checksum += (int)FrameDecoder.Decode(ref input, out var frame, out _) + frame.Data.Length;
            }

            return checksum;
        });

        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Encoding_and_decoding_every_frame_kind_allocates_nothing()
    {
        var samples = FrameSamples.All.Select(s => s.Bytes).ToArray();
        var output = new byte[WireFormat.MaxFrameLength];
        var setup = new SetupFrame(1, 1, FrameSamples.Key(1), 1_000);
        var setupAck = new SetupAckFrame(1, 2, FrameSamples.Key(2), 1_000);
        var joinRequest = new JoinRequestFrame(1, 2, FrameSamples.Nonce(3), 1, backup: true);
        var joinChallenge = new JoinChallengeFrame(FrameSamples.Nonce(4), default);
        var joinConfirm = new JoinConfirmFrame(default);
        var close = new CloseFrame(CloseReason.ProtocolError, 5, 0x11, "The data frame names stream 0.");
        var open = new StreamOpenFrame(7, Destination.FromHostName("example.com", 443));
        var ack = new DataAckFrame(1, 10, 20, 30, new AckEcho(0, 10, 5, 1, 2));
        var reset = new StreamResetFrame(7, StreamResetReason.HostNotFound);
        var pong = new PongFrame(1, 2, 3);
        var pathAdd = new PathAddFrame(1, WireAddress.FromIPAddress(System.Net.IPAddress.IPv6Loopback), 9, backup: true);

        var allocated = SmallestAllocation(() =>
        {
            long checksum = 0;
            for (var i = 0; i < Frames / 10; i++)
            {
                foreach (var bytes in samples)
                {
                    checksum += (int)FrameDecoder.Decode(bytes, out var frame, out var consumed, out _) + consumed;
                    checksum += frame.Type == FrameType.Data ? FrameEncoder.Write(output, frame.Data) : 0;
                }

                checksum += FrameEncoder.Write(output, setup) + FrameEncoder.Write(output, setupAck)
                    + FrameEncoder.Write(output, joinRequest) + FrameEncoder.Write(output, joinChallenge)
                    + FrameEncoder.Write(output, joinConfirm) + FrameEncoder.Write(output, default(JoinAcceptFrame))
                    + FrameEncoder.Write(output, close) + FrameEncoder.Write(output, open)
                    + FrameEncoder.Write(output, ack) + FrameEncoder.Write(output, reset)
                    + FrameEncoder.Write(output, new PingFrame(i)) + FrameEncoder.Write(output, pong)
                    + FrameEncoder.Write(output, pathAdd) + FrameEncoder.Write(output, new PathRemoveFrame(1))
                    + FrameEncoder.Write(output, new PathPriorityFrame(1, backup: false));
            }

            return checksum;
        });

        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Refusing_malformed_frames_allocates_nothing()
    {
        byte[][] bad =
        [
            [0xFF],
            [(byte)FrameType.Data, 0, 0xFF, 0xFF, 0xFF, 0xFF],
            [(byte)FrameType.Ping, 0, 0, 0, 0, 8, 0x80, 0, 0, 0, 0, 0, 0, 0],
            [(byte)FrameType.StreamOpen, 0, 0, 0, 0, 10, 0, 0, 0, 1, 3, 0, 80, 2, (byte)'a', (byte)' '],
        ];

        var allocated = SmallestAllocation(() =>
        {
            long checksum = 0;
            for (var i = 0; i < Frames; i++)
            {
                var status = FrameDecoder.Decode(bad[i % bad.Length], out _, out _, out var error);
                checksum += (int)status + (int)error.Reason;
            }

            return checksum;
        });

        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Writing_into_a_buffer_writer_allocates_nothing_beyond_the_writer()
    {
        var writer = new ArrayBufferWriter<byte>(64 * 1024);
        var ping = new PingFrame(1);

        var allocated = SmallestAllocation(() =>
        {
            writer.ResetWrittenCount();
            long checksum = 0;
            for (var i = 0; i < Frames; i++)
            {
                checksum += FrameEncoder.Write(writer, ping);
            }

            return checksum;
        });

        Assert.That(allocated, Is.Zero);
    }

    private static byte[] TestBytes<T>(in T frame)
        where T : struct, IFrame => WireTestKit.Encode(frame);

    private static long SmallestAllocation(Func<long> work)
    {
        work();
        var smallest = long.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            work();
            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return smallest;
    }
}
