using System.Net;
using Microsoft.Extensions.Logging;
using ProgMp.Engine;
using ProgMp.Runtime.Registry;

namespace ProgMp.Cli.Demo;

/// <summary>
/// One live demo run: a listener and a client in this process, joined through emulated paths on
/// loopback; one stream carrying the pattern as fast as the engine takes it, through the plan's phases;
/// a sample of the client's statistics every <see cref="SampleInterval"/>.
/// </summary>
internal sealed class DemoRunner : IDisposable
{
    /// <summary>Between samples: fine enough for the plot (100–250 ms), coarse enough to cost nothing.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(125);

    /// <summary>
    /// Rates shown live and plotted are averaged over this: a subflow's bytes are counted as its send
    /// loop hands them to the socket, in bursts of up to <see cref="MultipathOptions.SendBufferBytes"/>,
    /// so shorter windows mostly show the bursts.
    /// </summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMilliseconds(500);

    /// <summary>The <see cref="DemoOutcome.Problem"/> of a run stopped by Ctrl+C.</summary>
    public const string Interrupted = "interrupted";

    private static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(10);

    // After the plan's end, how long the reader may take for the rest before the run is called failed.
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(15);

    private readonly DemoPlan _plan;
    private readonly SchedulerRegistry _registry;
    private readonly IDemoView _view;
    private readonly DemoClock _clock = new();
    private readonly DemoEventLog _events;
    private readonly TransferRecorder _recorder;
    private readonly ReceiveProbe _probe;
    private readonly HashSet<long> _subflowsBeforeReturn = [];
    private TimeSpan? _failedAt;
    private TimeSpan? _restoredAt;
    private TimeSpan? _backAt;
    private StreamStatistics? _receiver;

    // Closed only once the writer is done: a receiver that closes as soon as it reads the end can
    // leave the sender waiting forever for the acknowledgement of its last packets (seen with the
    // engine of this writing in about a third of 8 s runs), and the demo's exit would hang on it.
    private MultipathStream? _receiving;

    public DemoRunner(DemoPlan plan, SchedulerRegistry registry, IDemoView view)
    {
        _plan = plan;
        _registry = registry;
        _view = view;
        _events = new DemoEventLog(_clock);
        _recorder = new TransferRecorder(plan.Settings.Paths.Count);
        _probe = new ReceiveProbe(_clock);
    }

    public async Task<DemoOutcome> RunAsync(CancellationToken cancellationToken)
    {
        using var loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(_events));
        var logger = loggerFactory.CreateLogger("ProgMp.Demo");
        var settings = _plan.Settings;
        // Encrypted as a deployment is, with identities made for this run: TLS costs the demo's paths nothing visible.
        var serverIdentity = MultipathIdentity.Create("demo-server");
        var clientIdentity = MultipathIdentity.Create("demo-client");
        var serverOptions = CreateOptions(MultipathSecurity.Tls(serverIdentity, authorizedClients: AuthorizedClients.FromLines([clientIdentity.PublicId])));
        var options = CreateOptions(MultipathSecurity.Tls(clientIdentity, serverId: serverIdentity.PublicId));
        await using var listener = new MultipathListener([new IPEndPoint(IPAddress.Loopback, 0)], serverOptions);
        listener.Start();
        await using var network = await EmulatedNetwork.StartAsync(settings.Paths, listener.LocalEndPoints[0]).ConfigureAwait(false);
        using var setup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        setup.CancelAfter(SetupTimeout);
        MultipathSession client;
        MultipathSession server;
        try
        {
            // Only the client logs into the view: the server would tell the same story again.
            var paths = network.Entrances.Select(e => new MultipathPath(e));
            client = await MultipathClient.ConnectAsync(paths, options, loggerFactory, setup.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            return Outcome(0, null, null, SetupProblem(e, cancellationToken));
        }

        await using (client.ConfigureAwait(false))
        {
            try
            {
                server = await listener.AcceptSessionAsync(setup.Token).ConfigureAwait(false);
                await EmulatedSessions.WaitForEveryPathAsync(client, settings.Paths.Count, setup.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e)
            {
                return Outcome(0, null, null, SetupProblem(e, cancellationToken));
            }

            await using (server.ConfigureAwait(false))
            {
                return await TransferAsync(client, server, network, logger, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _events.Dispose();

    private MultipathOptions CreateOptions(MultipathSecurity security)
    {
        var settings = _plan.Settings;
        return new MultipathOptions
        {
            Registry = _registry,
            DefaultScheduler = settings.StartScheduler,
            PacketSize = settings.PacketSize,
            SendBufferLimit = EmulatedSessions.SendBufferLimit(settings.Paths.Sum(p => p.RateMbitPerSecond), settings.PacketSize),
            ReconnectMaxDelay = EmulatedSessions.ReconnectMaxDelay,
            Security = security,
        };
    }

    private static string SetupProblem(Exception e, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Interrupted
        : e is OperationCanceledException ? $"the session did not come up over every path within {SetupTimeout.TotalSeconds:0} s"
        : "the session did not come up: " + e.Message;

    private async Task<DemoOutcome> TransferAsync(MultipathSession client, MultipathSession server, EmulatedNetwork network, ILogger logger, CancellationToken cancellationToken)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sending = client.OpenStream();
        sending.SetScheduler(_plan.Settings.StartScheduler);
        var writer = new PatternWriter(sending);
        _view.Begin(_plan);
        _clock.Start();
        var writing = Task.Run(() => writer.RunAsync(run.Token), CancellationToken.None);
        var reading = Task.Run(() => ReadAsync(server, run.Token), CancellationToken.None);
        string? problem = null;
        var next = 0;
        var completed = false;
        try
        {
            for (var tick = 1; ; tick++)
            {
                var now = _clock.Elapsed;
                while (next < _plan.Phases.Count && now >= _plan.Phases[next].Start)
                {
                    Enter(_plan.Phases[next++], sending, network, logger);
                }

                if (now >= _plan.Duration && !completed)
                {
                    completed = true;
                    writer.Stop();
                    logger.WritesCompleted(writer.BytesWritten);
                }

                Sample(client, network, now, completed, logger);
                if (writing.IsFaulted || reading.IsFaulted || (reading.IsCompleted && writing.IsCompleted))
                {
                    break;
                }

                if (now > _plan.Duration + DrainLimit)
                {
                    problem = !reading.IsCompleted
                        ? $"the reader did not get the end of the stream within {DrainLimit.TotalSeconds:0} s of the last write"
                        : $"the sender's data and FIN were not all acknowledged within {DrainLimit.TotalSeconds:0} s of the last write";
                    break;
                }

                // Wake at the next sample or the next phase, whichever is first, on the clock's grid so nothing drifts.
                var wake = SampleInterval * tick;
                if (next < _plan.Phases.Count && _plan.Phases[next].Start < wake)
                {
                    wake = _plan.Phases[next].Start;
                    tick--;
                }

                var wait = wake - _clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            problem = Interrupted;
        }
        finally
        {
            await run.CancelAsync().ConfigureAwait(false);
            problem ??= await FailureOfAsync(writing, "the writer").ConfigureAwait(false) ?? await FailureOfAsync(reading, "the reader").ConfigureAwait(false);
            if (_receiving is { } receiving)
            {
                await receiving.DisposeAsync().ConfigureAwait(false);
            }

            Sample(client, network, _clock.Elapsed, completed, logger);
            _view.End();
        }

        if (problem is null)
        {
            logger.TransferEnded(_probe.BytesRead);
        }

        return Outcome(writer.BytesWritten, writer.Hash, sending.GetStatistics(), problem);
    }

    private async Task ReadAsync(MultipathSession server, CancellationToken cancellationToken)
    {
        _receiving = await server.AcceptStreamAsync(cancellationToken).ConfigureAwait(false);
        await _probe.RunAsync(_receiving, cancellationToken).ConfigureAwait(false);
        _receiver = _receiving.GetStatistics();
    }

    private static async Task<string?> FailureOfAsync(Task task, string who)
    {
        try
        {
            await task.ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException)
        {
            return $"{who} did not finish";
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return $"{who} failed: {e.Message}";
        }
    }

    private void Enter(DemoPhase phase, MultipathStream sending, EmulatedNetwork network, ILogger logger)
    {
        logger.PhaseStarted(phase.Number, _plan.Phases.Count, phase.Description);
        var from = sending.SchedulerName;
        if (from != phase.Scheduler)
        {
            sending.SetScheduler(phase.Scheduler);
            logger.SchedulerSwapped(sending.Id, from, phase.Scheduler);
        }

        switch (phase.Kind)
        {
            case DemoPhaseKind.Failure:
                // Stamped before the call: resetting the connections is part of the failure.
                _failedAt = _clock.Elapsed;
                network.Fail(0);
                logger.PathFailed(_plan.FailingPath, "reset");
                break;
            case DemoPhaseKind.Return:
                _restoredAt = _clock.Elapsed;
                network.Restore(0);
                logger.PathRestored(_plan.FailingPath);
                break;
        }
    }

    private void Sample(MultipathSession client, EmulatedNetwork network, TimeSpan now, bool draining, ILogger logger)
    {
        var sample = _recorder.Record(now, _plan.PhaseAt(now), client.GetStatistics(), _probe.BytesRead, network.FailedPaths());
        var first = sample.Paths[0];
        if (_restoredAt is null)
        {
            if (first.SubflowId is { } id)
            {
                _subflowsBeforeReturn.Add(id);
            }
        }
        else if (_backAt is null && first.SubflowState == "active" && first.SubflowId is { } id && !_subflowsBeforeReturn.Contains(id))
        {
            _backAt = now;
            logger.PathBack(_plan.FailingPath, (long)(now - _restoredAt.Value).TotalMilliseconds);
        }

        _view.Update(new DemoViewState(_plan, _recorder, _recorder.Samples.Count - 1, _probe, draining), _events.TakeNew());
    }

    private DemoOutcome Outcome(long written, byte[]? hash, StreamStatistics? sender, string? problem) => new()
    {
        Plan = _plan,
        Recorder = _recorder,
        Probe = _probe,
        BytesWritten = written,
        WrittenHash = hash,
        Sender = sender,
        Receiver = _receiver,
        FailedAt = _failedAt,
        RestoredAt = _restoredAt,
        BackAt = _backAt,
        Problem = problem,
    };
}
