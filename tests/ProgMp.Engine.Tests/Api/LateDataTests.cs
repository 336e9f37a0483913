using ProgMp.Engine.Tests.Support;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Api;

/// <summary>
/// A sender whose last acknowledgement was lost (with a subflow that died) sends its data again after
/// the receiver has already finished and forgotten the stream: the receiver must still answer, or the
/// sender waits for ever.
/// </summary>
public class LateDataTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Data_sent_again_for_a_stream_that_has_ended_is_acknowledged_up_to_its_end(CancellationToken cancellationToken)
    {
        await using var listener = EngineTestKit.StartListener(EngineTestKit.Options(tls: false));
        var (raw, session) = await RawPeer.StartSessionWithStreamAsync(listener, cancellationToken);
        await using var rawPeer = raw;
        var payload = EngineTestKit.Bytes(10, 1);
        var data = new DataFrame(1, 0, 1, 0, payload, fin: true);
        await raw.SendAsync(data, cancellationToken);
        await using (var stream = await session.AcceptStreamAsync(cancellationToken))
        {
            var (_, length) = await EngineTestKit.ReceiveAllAsync(stream, cancellationToken);
            Assert.That(length, Is.EqualTo(payload.Length));
            stream.CompleteWrites();

            // The engine's FIN for its own direction; acknowledging it ends the stream at the engine.
            var fin = await NextDataAsync(raw, cancellationToken);
            Assert.That(fin.Fin, Is.True);
            await raw.SendAsync(new DataAckFrame(1, fin.Seq + 1, 1_000_000, 2), cancellationToken);
            while (session.GetStatistics().Streams.Count > 0)
            {
                await Task.Delay(10, cancellationToken);
            }
        }

        await raw.SendAsync(data, cancellationToken);
        var ack = await NextAckAsync(raw, data.Seq + data.Length + 1, cancellationToken);
        Assert.That(ack.StreamId, Is.EqualTo(1u));
        Assert.That(ack.Window, Is.Zero, "an ended stream takes nothing more");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Data_sent_again_for_a_refused_stream_gets_the_reset_again_and_no_acknowledgement(CancellationToken cancellationToken)
    {
        var options = new MultipathOptions { Registry = EngineTestKit.LoadLibrary(), DefaultScheduler = "minRtt", Limits = new MultipathLimits { StreamsPerSession = 1 }, Security = TestSecurity.Plaintext };
        await using var listener = EngineTestKit.StartListener(options);
        var (raw, _) = await RawPeer.StartSessionWithStreamAsync(listener, cancellationToken);
        await using var rawPeer = raw;
        var refused = new DataFrame(3, 0, 1, 0, new byte[10], fin: true);
        await raw.SendAsync(new StreamOpenFrame(3, Destination.None), cancellationToken);
        await raw.SendAsync(refused, cancellationToken);
        await NextResetAsync(raw, 3, cancellationToken);

        await raw.SendAsync(refused, cancellationToken);
        var again = await NextResetAsync(raw, 3, cancellationToken);
        Assert.That(again.Reason, Is.EqualTo(StreamResetReason.Refused));
    }

    /// <summary>The next STREAM_RESET for <paramref name="streamId"/>; fails on any DATA_ACK for it first (its bytes were never taken).</summary>
    private static async Task<StreamResetFrame> NextResetAsync(RawPeer raw, uint streamId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await raw.ReceiveAsync(cancellationToken, FrameType.Ping, FrameType.Pong);
            Assert.That(frame, Is.Not.Null, "the engine closed the connection instead of answering");
            if (frame!.Value.Type == FrameType.DataAck)
            {
                Assert.That(frame.Value.DataAck.StreamId, Is.Not.EqualTo(streamId), "a refused stream's data was acknowledged");
            }
            else if (frame.Value.Type == FrameType.StreamReset && frame.Value.StreamReset.StreamId == streamId)
            {
                return frame.Value.StreamReset;
            }
        }
    }

    private static async Task<DataFrame> NextDataAsync(RawPeer raw, CancellationToken cancellationToken)
    {
        var frame = await raw.ReceiveAsync(cancellationToken, FrameType.DataAck, FrameType.Ping, FrameType.Pong);
        Assert.That(frame?.Type, Is.EqualTo(FrameType.Data), "the engine's FIN");
        return frame!.Value.Data;
    }

    /// <summary>The first DATA_ACK that acknowledges <paramref name="cumulativeAck"/> (earlier ones, sent before the stream ended, are skipped).</summary>
    private static async Task<DataAckFrame> NextAckAsync(RawPeer raw, long cumulativeAck, CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await raw.ReceiveAsync(cancellationToken, FrameType.Ping, FrameType.Pong);
            Assert.That(frame, Is.Not.Null, "the engine closed the connection instead of answering");
            if (frame!.Value.Type == FrameType.DataAck && frame.Value.DataAck.Window == 0 && frame.Value.DataAck.CumulativeAck == cumulativeAck)
            {
                return frame.Value.DataAck;
            }
        }
    }
}
