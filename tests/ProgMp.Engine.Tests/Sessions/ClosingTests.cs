using System.Net;
using System.Security.Cryptography;
using ProgMp.Compiler;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Sessions;

/// <summary>
/// Closing delivers, as closing a TCP socket does: what was written before a graceful close arrives
/// whole; what cannot be delivered within the linger time ends with an error the peer sees, never a
/// short stream that looks complete.
/// </summary>
public class ClosingTests
{
    private const int Runs = 4;

    /// <summary>The shape of README.md's .NET sample, run after run: the disposals at the end of the client's scope must not cut the data short.</summary>
    [Test]
    [CancelAfter(240_000)]
    public async Task The_readme_sample_delivers_every_byte_run_after_run(CancellationToken ct)
    {
        var options = new MultipathOptions { Security = TestSecurity.Tls, Registry = SchedulerLibrary.CreateRegistry() };
        var data = EngineTestKit.Bytes(24 * 1024 * 1024, 11);
        var urgent = EngineTestKit.Bytes(64 * 1024, 12);
        var expected = SHA256.HashData([.. data, .. urgent]);
        for (var run = 1; run <= Runs; run++)
        {
            await using var listener = new MultipathListener([new IPEndPoint(IPAddress.Loopback, 0)], options);
            listener.Start();
            var server = listener.LocalEndPoints[0];
            var received = Task.Run(
                async () =>
                {
                    var session = await listener.AcceptSessionAsync(ct);
                    var incoming = await session.AcceptStreamAsync(ct);
                    return await EngineTestKit.ReceiveAllAsync(incoming, ct);
                },
                ct);

            await using (var client = await MultipathClient.ConnectAsync(
                [new MultipathPath(server), new MultipathPath(server, Backup: true)],
                options, new TestLoggerFactory(), ct))
            {
                await using var stream = client.OpenStream();
                await stream.WriteAsync(data, ct);
                stream.SetScheduler("redundant");
                stream.SetRegister(1, 42);
                await stream.WriteAsync(urgent, user: 2, ct);
                stream.CompleteWrites();
            }

            var (hash, length) = await received;
            Assert.That(length, Is.EqualTo(data.Length + urgent.Length), $"run {run}: bytes received");
            Assert.That(hash, Is.EqualTo(expected), $"run {run}: hash");
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_closed_session_whose_peer_reads_nothing_resets_its_stream_after_the_linger_time(CancellationToken ct)
    {
        var options = new MultipathOptions { Security = TestSecurity.Tls, Registry = EngineTestKit.LoadLibrary(), ReceiveWindow = 64 * 1024, Linger = TimeSpan.FromMilliseconds(500) };
        var pair = await SessionPair.StartAsync(1, options, ct);
        await using (pair)
        {
            var (client, server) = await pair.OpenStreamAsync(ct);
            await client.WriteAsync(EngineTestKit.Bytes(1024 * 1024, 13), ct);
            client.CompleteWrites();
            await client.DisposeAsync();
            await pair.Client.DisposeAsync().AsTask().WaitAsync(ct);

            var error = Assert.ThrowsAsync<StreamResetException>(async () => await EngineTestKit.ReceiveAllAsync(server, ct));
            Assert.That(error!.Reason, Is.EqualTo(ResetReason.Timeout), "the peer sees why its stream is short");
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_disposed_stream_whose_peer_reads_nothing_is_reset_after_the_linger_time(CancellationToken ct)
    {
        var options = new MultipathOptions { Security = TestSecurity.Tls, Registry = EngineTestKit.LoadLibrary(), ReceiveWindow = 64 * 1024, Linger = TimeSpan.FromMilliseconds(500) };
        await using var pair = await SessionPair.StartAsync(1, options, ct);
        var (client, server) = await pair.OpenStreamAsync(ct);
        await client.WriteAsync(EngineTestKit.Bytes(1024 * 1024, 14), ct);
        await client.DisposeAsync();
        while (client.ResetCause is null)
        {
            await Task.Delay(20, ct);
        }

        Assert.That(client.ResetCause, Is.EqualTo(ResetReason.Timeout));
        var error = Assert.ThrowsAsync<StreamResetException>(async () => await EngineTestKit.ReceiveAllAsync(server, ct));
        Assert.That(error!.Reason, Is.EqualTo(ResetReason.Timeout));
        Assert.That(pair.Client.Completion.IsCompleted, Is.False, "only the stream ended");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Closing_a_session_resets_streams_whose_writes_were_not_completed(CancellationToken ct)
    {
        var pair = await SessionPair.StartAsync(1, EngineTestKit.Options(), ct);
        await using (pair)
        {
            var (client, server) = await pair.OpenStreamAsync(ct);
            await client.WriteAsync(EngineTestKit.Bytes(100_000, 15), ct);
            await client.WaitForAcknowledgementAsync(ct);
            await pair.Client.DisposeAsync();

            Assert.ThrowsAsync<StreamResetException>(async () => await EngineTestKit.ReceiveAllAsync(server, ct), "never a clean end the writer did not ask for");
            await pair.Server.Completion.WaitAsync(ct);
            Assert.Multiple(() =>
            {
                Assert.That((pair.Client.EndReason, pair.Client.EndedByPeer), Is.EqualTo(((SessionEndReason?)SessionEndReason.Closed, false)));
                Assert.That((pair.Server.EndReason, pair.Server.EndedByPeer), Is.EqualTo(((SessionEndReason?)SessionEndReason.Closed, true)));
            });
        }
    }
}
