using BenchmarkDotNet.Attributes;
using ProgMp.Compiler;
using ProgMp.Engine;
using ProgMp.Engine.Tracing;
using ProgMp.Runtime;

namespace ProgMp.Benchmarks;

/// <summary>
/// What the engine's decision trace costs one decision of the compiled <c>minRtt.progmp</c> (the
/// scenario of <see cref="MinRttDecisionBenchmarks"/>): without the hook (the baseline), with the hook
/// and the trace off (a null check), and with the trace recording into its ring.
/// </summary>
[MemoryDiagnoser]
public class DecisionTraceBenchmarks
{
    private DecisionScenario _scenario = null!;
    private SchedulerProgram _compiled = null!;
    private DecisionRecorder _recorder = null!;

    [Params(2, 8)]
    public int Subflows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _compiled = new SchedulerCompiler().Compile(SchedulerLibrary.Programs.Single(p => p.Name == "minRtt").Source, "minRtt.progmp").Program
            ?? throw new InvalidOperationException("minRtt.progmp does not compile.");
        _scenario = new DecisionScenario(Subflows, MinRttDecisionBenchmarks.QueuedPackets);
        _recorder = DecisionRecorder.StartNow(DecisionTrace.DefaultCapacity);
    }

    internal DecisionScenario Scenario => _scenario;

    /// <summary>What the recording benchmark recorded so far.</summary>
    internal DecisionTrace Trace => _recorder.Snapshot();

    [Benchmark(Baseline = true)]
    public long NoHook() => _scenario.Decide(_compiled);

    [Benchmark]
    public long TraceOff() => _scenario.Decide(_compiled, trace: null);

    [Benchmark]
    public long TraceOn() => _scenario.Decide(_compiled, _recorder);
}
