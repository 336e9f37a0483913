using System.Security.Cryptography;
using ProgMp.Emulation;
using ProgMp.Engine.Tests.Support;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Sessions;

/// <summary>
/// Control frames that die with their subflow are sent again: a window update, a reset and a FIN
/// lost with every subflow at once still reach the peer once paths return, and a sender facing a
/// closed window probes it, so a lost window update cannot hang a stream.
/// </summary>
public class HealingTests
{
    [Test]
    [CancelAfter(90_000)]
    public async Task A_window_update_a_reset_and_a_fin_lost_with_their_subflows_arrive_once_paths_return(CancellationToken cancellationToken)
    {
        const int window = 64 * 1024;
        var options = new MultipathOptions
        {
            Security = TestSecurity.Tls,
            Registry = EngineTestKit.LoadLibrary(),
            ReceiveWindow = window,
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        };
        await using var session = await EmulatedSession.StartAsync(options, [EmulatedSession.Path(500, 1), EmulatedSession.Path(500, 2)], cancellationToken);
        var (windowClient, windowServer) = await session.Pair.OpenStreamAsync(cancellationToken);
        var (resetClient, resetServer) = await session.Pair.OpenStreamAsync(cancellationToken);
        var (finClient, finServer) = await session.Pair.OpenStreamAsync(cancellationToken);

        // A reader that stops: the window closes, and the sender waits with all it sent acknowledged.
        var data = EngineTestKit.Bytes(1024 * 1024, 7);
        var sending = EngineTestKit.SendAllAsync(windowClient, data, cancellationToken);
        while (windowClient.GetStatistics().BytesAcked < window - options.PacketSize)
        {
            await Task.Delay(10, cancellationToken);
        }

        var resetRead = ReadUntilResetAsync(resetClient, cancellationToken);
        var finRead = EngineTestKit.ReceiveAllAsync(finClient, cancellationToken);

        // Everything the server says now goes into paths that hold it, then die with it.
        foreach (var path in session.Paths)
        {
            path.Fail(PathFailureMode.Blackhole);
        }

        using var reader = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[window];
        var read = 0;
        while (read < window / 2)
        {
            var n = await windowServer.ReadAsync(buffer, cancellationToken);
            reader.AppendData(buffer, 0, n);
            read += n;
        }

        resetServer.Reset(ResetReason.ConnectionReset);
        var finData = EngineTestKit.Bytes(1000, 8);
        await finServer.WriteAsync(finData, cancellationToken);
        finServer.CompleteWrites();
        await Task.Delay(200, cancellationToken);
        foreach (var path in session.Paths)
        {
            path.Fail(PathFailureMode.Reset);
        }

        await Task.Delay(200, cancellationToken);
        foreach (var path in session.Paths)
        {
            path.Restore();
        }

        // The reader resumes; the rest must come.
        while (true)
        {
            var n = await windowServer.ReadAsync(buffer, cancellationToken);
            if (n == 0)
            {
                break;
            }

            reader.AppendData(buffer, 0, n);
            read += n;
        }

        await sending;
        Assert.That(read, Is.EqualTo(data.Length));
        Assert.That(reader.GetHashAndReset(), Is.EqualTo(SHA256.HashData(data)), "the stream behind the lost window update");
        var reset = await resetRead;
        Assert.That(reset.Reason, Is.EqualTo(ResetReason.ConnectionReset), "the lost reset");
        Assert.That(reset.ByPeer, Is.True);
        var (finHash, finLength) = await finRead;
        Assert.That(finLength, Is.EqualTo(finData.Length), "the stream whose FIN was lost");
        Assert.That(finHash, Is.EqualTo(SHA256.HashData(finData)));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_sender_facing_a_closed_window_probes_it_until_it_opens(CancellationToken cancellationToken)
    {
        const int initialWindow = 2800;
        await using var listener = EngineTestKit.StartListener(EngineTestKit.Options(tls: false));
        await using var raw = await RawPeer.ConnectAsync(listener.LocalEndPoints[0], cancellationToken);
        await raw.SendAsync(new SetupFrame(1, 1, JoinAuthenticator.NewKey(), initialWindow), cancellationToken);
        Assert.That((await raw.ReceiveAsync(cancellationToken))?.Type, Is.EqualTo(FrameType.SetupAck));
        await using var session = await listener.AcceptSessionAsync(cancellationToken);
        await raw.SendAsync(new StreamOpenFrame(1, Destination.None), cancellationToken);
        await using var stream = await session.AcceptStreamAsync(cancellationToken);
        var writing = stream.WriteAsync(EngineTestKit.Bytes(10_000, 3), cancellationToken).AsTask();

        // Take the initial window, then acknowledge it with a window of 0: the sender must wait.
        var end = 0L;
        while (end < initialWindow)
        {
            var data = await NextDataAsync(raw, cancellationToken);
            end = Math.Max(end, data.Seq + data.Length);
        }

        await raw.SendAsync(new DataAckFrame(1, initialWindow, 0, 1), cancellationToken);

        // No window update comes from here: the sender asks, with a byte it knows arrived.
        var probe = await NextDataAsync(raw, cancellationToken);
        Assert.That((probe.Seq, probe.Length), Is.EqualTo((initialWindow - 1L, 1)), "a probe: the last byte acknowledged, again");
        await raw.SendAsync(new DataAckFrame(1, initialWindow, 1_000_000, 2), cancellationToken);
        var next = await NextDataAsync(raw, cancellationToken, from: initialWindow);
        Assert.That(next.Seq, Is.EqualTo(initialWindow), "the answer to the probe opened the window");
        Assert.That(writing.IsFaulted, Is.False);
    }

    private static async Task<StreamResetException> ReadUntilResetAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (StreamResetException e)
        {
            return e;
        }

        throw new AssertionException("the stream ended cleanly instead of with the reset");
    }

    /// <summary>The next DATA at or beyond <paramref name="from"/>, answering pings on the way so the subflow stays trusted.</summary>
    private static async Task<DataFrame> NextDataAsync(RawPeer raw, CancellationToken cancellationToken, long from = 0)
    {
        while (true)
        {
            var frame = await raw.ReceiveAsync(cancellationToken, FrameType.DataAck, FrameType.Pong);
            Assert.That(frame, Is.Not.Null, "the engine closed the connection");
            if (frame!.Value.Type == FrameType.Ping)
            {
                await raw.SendAsync(new PongFrame(frame.Value.Ping.Timestamp, 1, 0), cancellationToken);
            }
            else if (frame.Value.Type == FrameType.Data && frame.Value.Data.Seq >= from)
            {
                return frame.Value.Data;
            }
        }
    }
}
