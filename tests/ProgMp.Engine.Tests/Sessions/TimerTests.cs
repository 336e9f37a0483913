using ProgMp.Emulation;
using ProgMp.Engine.Sessions;
using ProgMp.Engine.Subflows;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Sessions;

/// <summary>
/// The session's timer fires only when something is due: an idle session wakes for its keepalives
/// and nothing else, still finds a path that died silently, and the timer outlives an exception.
/// </summary>
public class TimerTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task An_idle_session_wakes_only_for_its_keepalives(CancellationToken cancellationToken)
    {
        var options = new MultipathOptions { Security = TestSecurity.Tls, Registry = EngineTestKit.LoadLibrary(), KeepaliveInterval = TimeSpan.FromSeconds(1) };
        await using var pair = await SessionPair.StartAsync(2, options, cancellationToken);

        // A session is busy for a second after its last data (here: its setup); then it is quiet.
        await Task.Delay(2_000, cancellationToken);
        var before = (Client: pair.Client.Core.TimerFirings, Server: pair.Server.Core.TimerFirings);
        await Task.Delay(4_000, cancellationToken);
        var client = pair.Client.Core.TimerFirings - before.Client;
        var server = pair.Server.Core.TimerFirings - before.Server;

        // Per keepalive: the ping, and the check that its answer came; a 5 ms tick would be 800.
        Assert.That(client, Is.InRange(1, 20), "client timer firings in 4 s of idle");
        Assert.That(server, Is.InRange(1, 20), "server timer firings in 4 s of idle");
        Assert.That(SessionPair.ActiveSubflows(pair.Client), Is.EqualTo(2), "the keepalives were answered");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task An_idle_path_that_dies_silently_is_found_by_the_keepalive(CancellationToken cancellationToken)
    {
        var options = new MultipathOptions { Security = TestSecurity.Tls, Registry = EngineTestKit.LoadLibrary(), KeepaliveInterval = TimeSpan.FromMilliseconds(500) };
        await using var session = await EmulatedSession.StartAsync(options, [EmulatedSession.Path(1000, 1), EmulatedSession.Path(1000, 1)], cancellationToken);
        await Task.Delay(1_500, cancellationToken);

        session.Paths[0].Fail(PathFailureMode.Blackhole);
        while (!session.Client.GetStatistics().Subflows.Any(s => s.PathId == 0 && s.TimesSuspected > 0))
        {
            await Task.Delay(20, cancellationToken);
        }

        Assert.That(session.Client.GetStatistics().Subflows.Where(s => s.PathId == 1).Sum(s => s.TimesSuspected), Is.Zero, "the working path is not suspected");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task The_timer_carries_on_after_an_exception_in_its_work(CancellationToken cancellationToken)
    {
        var options = new MultipathOptions
        {
            Security = TestSecurity.Tls,
            Registry = EngineTestKit.LoadLibrary(),
            KeepaliveInterval = TimeSpan.FromMilliseconds(200),
            DeadTimeout = TimeSpan.FromMilliseconds(300),
        };
        await using var session = await EmulatedSession.StartAsync(options, [EmulatedSession.Path(1000, 1), EmulatedSession.Path(1000, 1)], cancellationToken);
        var core = session.Client.Core;
        var thrown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The timer closes a subflow that stayed silent past the dead timeout; the handler of that
        // event runs on the timer and throws.
        void Throw(Subflow subflow)
        {
            thrown.TrySetResult();
            throw new InvalidOperationException("a handler that fails");
        }

        core.SubflowEnded += Throw;
        session.Paths[0].Fail(PathFailureMode.Blackhole);
        await thrown.Task.WaitAsync(cancellationToken);
        core.SubflowEnded -= Throw;
        var firings = core.TimerFirings;

        // Still firing: and still judging paths, as the other one dying shows.
        session.Paths[1].Fail(PathFailureMode.Blackhole);
        while (!session.Client.GetStatistics().Subflows.Any(s => s.PathId == 1 && s.TimesSuspected > 0))
        {
            await Task.Delay(20, cancellationToken);
        }

        Assert.That(core.TimerFirings, Is.GreaterThan(firings));
    }
}
