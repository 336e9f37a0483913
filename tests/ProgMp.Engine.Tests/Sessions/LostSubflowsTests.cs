using System.Security.Cryptography;
using ProgMp.Emulation;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Sessions;

/// <summary>
/// A session whose every subflow is gone waits <see cref="MultipathOptions.SessionIdleTimeout"/> for one
/// to return: paths back in time carry on with nothing lost, otherwise every stream fails with an error
/// the application sees. A join the server refuses costs that path a retry, not the session.
/// </summary>
public class LostSubflowsTests
{
    [Test]
    [CancelAfter(90_000)]
    public async Task Paths_that_return_within_the_idle_timeout_carry_on_with_nothing_lost(CancellationToken ct)
    {
        var options = IdleTimeoutOptions(TimeSpan.FromSeconds(30));
        await using var session = await EmulatedSession.StartAsync(options, [EmulatedSession.Path(200, 2), EmulatedSession.Path(100, 5)], ct);
        var (client, server) = await session.Pair.OpenStreamAsync(ct);
        var data = EngineTestKit.Bytes(16 * 1024 * 1024, 21);
        var received = EngineTestKit.ReceiveAllAsync(server, ct);
        var sending = EngineTestKit.SendAllAsync(client, data, ct);
        while (client.GetStatistics().BytesAcked < data.Length / 4)
        {
            await Task.Delay(10, ct);
        }

        foreach (var path in session.Paths)
        {
            path.Fail(PathFailureMode.Reset);
        }

        while (SessionPair.ActiveSubflows(session.Client) > 0)
        {
            await Task.Delay(10, ct);
        }

        await Task.Delay(1_000, ct);
        foreach (var path in session.Paths)
        {
            path.Restore();
        }

        await sending;
        var (hash, length) = await received;
        Assert.That(length, Is.EqualTo(data.Length));
        Assert.That(hash, Is.EqualTo(SHA256.HashData(data)));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Without_a_subflow_for_the_idle_timeout_every_stream_fails_on_both_sides(CancellationToken ct)
    {
        var options = IdleTimeoutOptions(TimeSpan.FromSeconds(1));
        await using var session = await EmulatedSession.StartAsync(options, [EmulatedSession.Path(200, 2)], ct);
        var (client, server) = await session.Pair.OpenStreamAsync(ct);
        var clientRead = EngineTestKit.ReceiveAllAsync(client, ct);
        var serverRead = EngineTestKit.ReceiveAllAsync(server, ct);
        await client.WriteAsync(EngineTestKit.Bytes(100_000, 22), ct);
        session.Paths[0].Fail(PathFailureMode.Reset);

        var clientError = Assert.ThrowsAsync<StreamResetException>(async () => await clientRead);
        var serverError = Assert.ThrowsAsync<StreamResetException>(async () => await serverRead);
        Assert.That(clientError!.Reason, Is.EqualTo(ResetReason.Timeout));
        Assert.That(serverError!.Reason, Is.EqualTo(ResetReason.Timeout));
        Assert.ThrowsAsync<StreamResetException>(async () => await client.WriteAsync(new byte[1], ct));
        await session.Client.Completion.WaitAsync(ct);
        Assert.That(session.Client.EndReason, Is.EqualTo(SessionEndReason.IdleTimeout));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_join_answered_with_an_unknown_session_ends_that_path_only(CancellationToken ct)
    {
        var options = new MultipathOptions
        {
            Security = TestSecurity.Tls,
            Registry = EngineTestKit.LoadLibrary(),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        };
        await using var listener = EngineTestKit.StartListener(options);
        await using var stranger = EngineTestKit.StartListener(options);
        await using var toStranger = PathEmulator.Start(SessionPair.Loopback(0), stranger.LocalEndPoints[0]);
        await using var client = await MultipathClient.ConnectAsync(
            [new MultipathPath(listener.LocalEndPoints[0]), new MultipathPath(toStranger.LocalEndPoint)], options, new TestLoggerFactory(), ct);
        await using var server = await listener.AcceptSessionAsync(ct);

        // The stranger knows no session: each join is refused with UnknownSession, and tried again.
        while (toStranger.ConnectionsAccepted < 3)
        {
            await Task.Delay(10, ct);
        }

        Assert.That(client.Completion.IsCompleted, Is.False, "the session outlives the refused path");
        var stream = client.OpenStream();
        var accepted = await server.AcceptStreamAsync(ct);
        var data = EngineTestKit.Bytes(100_000, 23);
        var received = EngineTestKit.ReceiveAllAsync(accepted, ct);
        await EngineTestKit.SendAllAsync(stream, data, ct);
        Assert.That((await received).Hash, Is.EqualTo(SHA256.HashData(data)));
    }

    /// <summary>Paths re-opened quickly (at most 300 ms apart), and a session that waits <paramref name="idleTimeout"/> without a subflow.</summary>
    private static MultipathOptions IdleTimeoutOptions(TimeSpan idleTimeout) => new()
    {
        Security = TestSecurity.Tls,
        Registry = EngineTestKit.LoadLibrary(),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(300),
        SessionIdleTimeout = idleTimeout,
    };
}
