using System.Net;
using Microsoft.Extensions.Logging;
using ProgMp.Cli.Demo;
using ProgMp.Engine;
using ProgMp.Runtime.Registry;

namespace ProgMp.Cli.Compare;

/// <summary>
/// One run: a fresh listener, emulated network and session; the scheduler on every stream of both
/// ends; the scenario's events applied on time while its workloads run; the applications' figures and
/// the engine's statistics collected at the end. Every wait is bounded: a run that cannot finish (a
/// scheduler that never sends) ends at its deadline and says so.
/// </summary>
internal sealed class ScenarioRun
{
    public static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(10);

    // After the deadline, how long workloads and sessions get to notice and close before they are left behind.
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly Scenario _scenario;
    private readonly string _scheduler;
    private readonly int _repeat;
    private readonly bool _keepSamples;
    private readonly SchedulerRegistry _registry;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly DemoClock _clock = new();
    private readonly RunRecorder _recorder = new();
    private readonly FlowTable _flows = new();
    private readonly List<double> _sampleSeconds = [];
    private readonly List<long> _sampleBytes = [];
    private readonly Dictionary<string, int> _pathIds = new(StringComparer.Ordinal);
    private readonly List<(ScenarioEvent Event, string Reason)> _eventFailures = [];

    /// <summary>A run to execute; with <c>keepSamples</c> its result keeps the raw samples and the delivered-bytes series, which only the plots use.</summary>
    public ScenarioRun(Scenario scenario, string scheduler, int repeat, bool keepSamples, SchedulerRegistry registry, ILoggerFactory loggerFactory)
    {
        _scenario = scenario;
        _scheduler = scheduler;
        _repeat = repeat;
        _keepSamples = keepSamples;
        _registry = registry;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("ProgMp.Compare");
    }

    /// <summary>How long after the scenario's end the workloads may take to finish what they started: the deadline is the duration plus this.</summary>
    public static TimeSpan DrainAllowance(TimeSpan duration) => TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(5).Ticks, duration.Ticks));

    public async Task<RunResult> ExecuteAsync(CancellationToken cancellationToken)
    {
        CompareLog.RunStarted(_logger, _scheduler, _scenario.Name, _repeat + 1);
        var options = CreateOptions();
        await using var listener = new MultipathListener([new IPEndPoint(IPAddress.Loopback, 0)], options, _loggerFactory);
        listener.Start();
        await using var network = await ScenarioNetwork.StartAsync(_scenario.Paths, listener.LocalEndPoints[0]).ConfigureAwait(false);
        using var setup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        setup.CancelAfter(SetupTimeout);
        MultipathSession client;
        MultipathSession server;
        var initial = _scenario.Paths.Where(p => !p.Later).ToList();
        try
        {
            client = await MultipathClient.ConnectAsync(initial.Select(p => new MultipathPath(network.Entrance(p.Name), Backup: p.Backup)), options, _loggerFactory, setup.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Failed($"the session did not come up: {(e is OperationCanceledException ? $"no answer within {SetupTimeout.TotalSeconds:0} s" : e.Message)}");
        }

        foreach (var (id, path, _, _) in client.Paths)
        {
            if (initial.Find(p => network.Entrance(p.Name).Equals(path.Remote)) is { } declared)
            {
                _pathIds[declared.Name] = id;
            }
        }

        try
        {
            server = await listener.AcceptSessionAsync(setup.Token).ConfigureAwait(false);
            await EmulatedSessions.WaitForEveryPathAsync(client, initial.Count, setup.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await CloseAsync(client).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return Failed($"not every path came up within {SetupTimeout.TotalSeconds:0} s");
        }

        try
        {
            return await RunAsync(client, server, network, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ResetOpenStreams();
            await CloseAsync(client).ConfigureAwait(false);
            await CloseAsync(server).ConfigureAwait(false);
        }
    }

    private MultipathOptions CreateOptions()
    {
        var defaults = new MultipathOptions { Security = MultipathSecurity.InsecurePlaintext };
        return new MultipathOptions
        {
            ReceiveWindow = _scenario.ReceiveWindow ?? defaults.ReceiveWindow,
            Registry = _registry,
            DefaultScheduler = _scheduler,

            // Each path counts at the faster of its two directions.
            SendBufferLimit = EmulatedSessions.SendBufferLimit(_scenario.Paths.Sum(p => Math.Max(p.Out.RateMbitPerSecond, p.In.RateMbitPerSecond)), defaults.PacketSize),
            ReconnectMaxDelay = EmulatedSessions.ReconnectMaxDelay,
            Linger = TimeSpan.FromSeconds(1),

            // Loopback only, by design: encryption would spend the shared CPU that the paths' emulation
            // and the engine need, and measures nothing a scheduler decides.
            Security = MultipathSecurity.InsecurePlaintext,
        };
    }

    private async Task<RunResult> RunAsync(MultipathSession client, MultipathSession server, ScenarioNetwork network, CancellationToken cancellationToken)
    {
        using var stopping = new CancellationTokenSource();
        using var aborting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = _scenario.Duration + DrainAllowance(_scenario.Duration);
        var run = new RunContext
        {
            Repeat = _repeat,
            Client = client,
            Flows = _flows,
            Recorder = _recorder,
            Clock = _clock,
            Stopping = stopping.Token,
            Aborted = aborting.Token,
            Span = deadline,
            Registers = _scenario.Registers,
        };
        var drivers = _scenario.Workloads.Select(WorkloadDriver.Create).ToList();
        _clock.Start();
        var serving = Task.Run(() => new ServerSide(run, server, _logger).RunAsync(), CancellationToken.None);
        var workloads = drivers.Select(d => Task.Run(() => d.RunAsync(run), CancellationToken.None)).ToList();
        var all = Task.WhenAll(workloads);
        var openEnded = drivers.Any(d => d.OpenEnded);
        var stopped = false;

        // Open-ended workloads are measured over the duration, so only what arrived by then counts; sized
        // bulk transfers over the time until their last byte, so every byte counts.
        long? deliveredAtEnd = null;
        TimeSpan? finished = null;
        var next = 0;
        for (var tick = 1; ; tick++)
        {
            var now = _clock.Elapsed;
            while (next < _scenario.Events.Count && _scenario.Events[next].At <= now)
            {
                Apply(_scenario.Events[next++], client, network, now);
            }

            if (!stopped && now >= _scenario.Duration)
            {
                stopped = true;
                deliveredAtEnd = openEnded ? _recorder.DeliveredBytes : null;
                await stopping.CancelAsync().ConfigureAwait(false);
            }

            Sample(now);
            if (all.IsCompleted)
            {
                finished = now;
                break;
            }

            if (now >= deadline || cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var wake = SampleInterval * tick;
            foreach (var moment in new[] { next < _scenario.Events.Count ? _scenario.Events[next].At : TimeSpan.MaxValue, _scenario.Duration, deadline })
            {
                if (moment > now && moment < wake)
                {
                    wake = moment;
                    tick--;
                    break;
                }
            }

            var wait = wake - _clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.WhenAny(Task.Delay(wait, CancellationToken.None), all).ConfigureAwait(false);
            }
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        await aborting.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var problems = new RunProblems();
        problems.Add(finished is null ? $"did not finish by its deadline, {DrainAllowance(_scenario.Duration).TotalSeconds:0.#} s after the scenario's end" : null);
        problems.Add(FailureOf(workloads, drivers));
        foreach (var (e, reason) in _eventFailures)
        {
            problems.EventFailed(e, reason);
        }

        if (_recorder.Dropped > 0)
        {
            problems.Add($"{_recorder.Dropped} samples past the bound of {_recorder.Capacity} per metric were not kept: the percentiles are of the first ones");
        }

        if (_flows.Full)
        {
            problems.Add($"the run's bound of {_flows.Capacity} flows was reached: the workloads started no more flows after it");
        }

        var problem = problems.Text;
        await Task.WhenAny(Task.WhenAll(workloads.Append(serving)), Task.Delay(CloseTimeout, CancellationToken.None)).ConfigureAwait(false);
        if (problem is not null)
        {
            CompareLog.RunIncomplete(_logger, _scheduler, _scenario.Name, _repeat + 1, problem);
        }

        var end = openEnded ? _scenario.Duration : finished ?? deadline;
        var metrics = Measure(drivers, client, server, network, deliveredAtEnd ?? _recorder.DeliveredBytes, end);
        var result = new RunResult(_scheduler, _scenario.Name, _repeat, metrics, problem) { Elapsed = _clock.Elapsed };
        return !_keepSamples ? result : result with
        {
            SampleSeconds = _sampleSeconds,
            DeliveredBytes = _sampleBytes,
            FlowMilliseconds = _recorder.FlowMilliseconds,
            RoundTripMilliseconds = _recorder.RoundTripMilliseconds,
        };
    }

    private void Apply(ScenarioEvent e, MultipathSession client, ScenarioNetwork network, TimeSpan now)
    {
        // A run goes on past an event the engine or the emulator would not take, but it is the run's
        // problem then: figures measured without the event are not what the scenario asked for.
        try
        {
            switch (e.Kind)
            {
                case ScenarioEventKind.Add:
                    var path = _scenario.Paths.First(p => p.Name == e.Path);
                    _pathIds[e.Path] = client.AddPath(new MultipathPath(network.Entrance(e.Path), Backup: path.Backup));
                    break;
                case ScenarioEventKind.Remove:
                    if (!_pathIds.TryGetValue(e.Path, out var id))
                    {
                        _eventFailures.Add((e, $"the path {e.Path} has no id in the session"));
                        return;
                    }

                    if (!client.RemovePath(id))
                    {
                        _eventFailures.Add((e, $"the session has no path {id} to remove"));
                        return;
                    }

                    break;
                default:
                    network.Apply(e);
                    break;
            }

            CompareLog.EventApplied(_logger, _scheduler, _scenario.Name, _repeat + 1, (long)now.TotalMilliseconds, e.Label);
        }
        catch (Exception exception)
        {
            CompareLog.EventFailed(_logger, e.Label, exception);
            _eventFailures.Add((e, exception.Message));
        }
    }

    private void Sample(TimeSpan now)
    {
        if (!_keepSamples)
        {
            return;
        }

        _sampleSeconds.Add(now.TotalSeconds);
        _sampleBytes.Add(_recorder.DeliveredBytes);
    }

    private string? FailureOf(List<Task> workloads, List<WorkloadDriver> drivers)
    {
        for (var i = 0; i < workloads.Count; i++)
        {
            if (workloads[i].IsFaulted)
            {
                var e = workloads[i].Exception!.GetBaseException();
                if (e is not (IOException or OperationCanceledException or ObjectDisposedException))
                {
                    CompareLog.WorkloadFailed(_logger, drivers[i].Spec.Name, e);
                }

                return $"workload {drivers[i].Spec.Name} failed: {e.Message}";
            }
        }

        return null;
    }

    private RunMetrics Measure(List<WorkloadDriver> drivers, MultipathSession client, MultipathSession server, ScenarioNetwork network, long delivered, TimeSpan window)
    {
        long reinjected = 0, received = 0;
        double waited = 0, longestWait = 0;
        var stall = TimeSpan.Zero;
        var now = _clock.Elapsed;
        foreach (var flow in _flows.Snapshot())
        {
            stall = new[] { stall, flow.Up.LongestAt(now), flow.Down.LongestAt(now) }.Max();
            foreach (var stream in new[] { flow.ClientStream, flow.ServerStream })
            {
                if (stream?.GetStatistics() is { } s)
                {
                    reinjected += s.ReinjectedBytes;
                    received += s.BytesRead;
                    waited += s.MeanReorderWaitMilliseconds * s.ReorderedBytes;
                    longestWait = Math.Max(longestWait, s.MaxReorderWaitMilliseconds);
                }
            }
        }

        var flows = MetricMath.Percentiles(_recorder.FlowMilliseconds, 50, 99);
        var rtts = MetricMath.Percentiles(_recorder.RoundTripMilliseconds, 50, 99, 100);
        var cbr = drivers.OfType<ConstantBitRateWorkload>().Where(d => d.Receiver is not null).ToList();
        var wholeSeconds = (int)_scenario.Duration.TotalSeconds;
        var totalDelivered = _recorder.DeliveredBytes;
        return new RunMetrics
        {
            GoodputMbit = MetricMath.Mbit(delivered, window),
            FctP50Ms = flows[0],
            FctP99Ms = flows[1],
            RttP50Ms = rtts[0],
            RttP99Ms = rtts[1],
            RttMaxMs = rtts[2],
            CbrErrorPercent = cbr.Count == 0 ? null : cbr.Max(d => MetricMath.DeliveryErrorPercent(d.Receiver!.PerSecond(wholeSeconds), d.Spec.RateMbitPerSecond * 1e6 / 8)),
            CbrGapMs = cbr.Count == 0 ? null : cbr.Max(d => d.Receiver!.LongestGap.TotalMilliseconds),
            PageP50Ms = MetricMath.Percentile(_recorder.PageMilliseconds, 50),
            StallMs = stall.TotalMilliseconds,
            ReorderWaitMs = received > 0 ? waited / received : 0,
            ReorderWaitMaxMs = longestWait,
            WirePerDelivered = totalDelivered > 0 ? (double)network.WireBytes / totalDelivered : null,
            BackupSharePercent = network.BackupWireBytes is { } backup && network.WireBytes > 0 ? 100.0 * backup / network.WireBytes : null,
            ReinjectedBytes = reinjected,
            SchedulerInvocations = client.GetStatistics().SchedulerInvocations + server.GetStatistics().SchedulerInvocations,
        };
    }

    // Streams still open at a deadline are reset before the sessions close: a graceful close would wait for data that may never move.
    private void ResetOpenStreams()
    {
        foreach (var flow in _flows.Snapshot())
        {
            foreach (var stream in new[] { flow.ClientStream, flow.ServerStream })
            {
                if (stream is not null && !flow.Done.IsCompleted)
                {
                    try
                    {
                        stream.Reset();
                    }
                    catch (ObjectDisposedException)
                    {
                        // Its side already closed it.
                    }
                }
            }
        }
    }

    private async Task CloseAsync(MultipathSession session)
    {
        var closing = session.DisposeAsync().AsTask();
        if (await Task.WhenAny(closing, Task.Delay(CloseTimeout, CancellationToken.None)).ConfigureAwait(false) != closing)
        {
            CompareLog.CloseSlow(_logger, CloseTimeout.TotalSeconds);
        }
    }

    private RunResult Failed(string problem)
    {
        CompareLog.RunIncomplete(_logger, _scheduler, _scenario.Name, _repeat + 1, problem);
        return new RunResult(_scheduler, _scenario.Name, _repeat, new RunMetrics(), problem);
    }
}
