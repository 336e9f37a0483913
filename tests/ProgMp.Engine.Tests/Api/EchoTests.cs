using ProgMp.Engine.Tests.Support;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Api;

/// <summary>
/// The receiver echoes every data frame it gets, not just the last one of a read: a packet that
/// arrives behind a hole is acknowledged at once, so the sender stops counting it in flight on the
/// fast path while the slow one fills the hole (docs/protocol.md 7.10, 8.3).
/// </summary>
public class EchoTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Frames_behind_holes_are_each_echoed_and_contiguous_ones_share_a_range(CancellationToken cancellationToken)
    {
        await using var listener = EngineTestKit.StartListener(EngineTestKit.Options(tls: false));
        var (raw, _) = await RawPeer.StartSessionWithStreamAsync(listener, cancellationToken);
        await using var rawPeer = raw;

        // A hole at [0, 1000) and another at [2000, 3000); the last two frames follow each other.
        var frames = new[]
        {
            new DataFrame(1, 1000, 11, 0, new byte[1000]),
            new DataFrame(1, 3000, 12, 0, new byte[1000]),
            new DataFrame(1, 4000, 13, 0, new byte[500]),
        };
        var bytes = frames.SelectMany(Encode).ToArray();
        await raw.SendAsync(bytes, cancellationToken);

        var covered = new List<(long Start, long End)>();
        while (covered.Sum(r => r.End - r.Start) < 2500)
        {
            var frame = await raw.ReceiveAsync(cancellationToken, FrameType.Ping, FrameType.Pong);
            Assert.That(frame, Is.Not.Null, "the engine closed the connection");
            if (frame!.Value.Type != FrameType.DataAck || !frame.Value.DataAck.HasEcho)
            {
                continue;
            }

            var ack = frame.Value.DataAck;
            Assert.That(ack.CumulativeAck, Is.Zero, "nothing is in order yet");
            covered.Add((ack.Echo.Seq, ack.Echo.Seq + ack.Echo.Length));
        }

        Assert.That(covered, Does.Contain((1000L, 2000L)), "the frame behind the first hole");
        Assert.That(covered.Where(r => r.Start >= 3000).Sum(r => r.End - r.Start), Is.EqualTo(1500), "both frames after the second hole, in one range or two");
        Assert.That(covered.Where(r => r.Start >= 3000).Select(r => r.Start), Is.SubsetOf(new[] { 3000L, 4000L }));
    }

    private static byte[] Encode(DataFrame frame)
    {
        var bytes = new byte[FrameEncoder.GetLength(frame)];
        FrameEncoder.Write(bytes, frame);
        return bytes;
    }
}
