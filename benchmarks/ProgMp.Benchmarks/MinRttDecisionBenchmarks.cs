using BenchmarkDotNet.Attributes;
using ProgMp.Compiler;
using ProgMp.Runtime;

namespace ProgMp.Benchmarks;

/// <summary>
/// One scheduling decision of <c>schedulers/minRtt.progmp</c> with 64 packets in Q: the compiled
/// delegate against the same decision written by hand in C# (the baseline), and the tree-walking
/// interpreter. All three run through <c>SchedulerContext.Invoke</c> and the same undo, so the
/// ratios compare the bodies alone.
/// </summary>
[MemoryDiagnoser]
public class MinRttDecisionBenchmarks
{
    internal const int QueuedPackets = 64;

    private DecisionScenario _scenario = null!;
    private SchedulerProgram _handWritten = null!;
    private SchedulerProgram _compiled = null!;
    private SchedulerProgram _interpreted = null!;

    [Params(2, 4, 8)]
    public int Subflows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var source = SchedulerLibrary.Programs.Single(p => p.Name == "minRtt").Source;
        _compiled = new SchedulerCompiler().Compile(source, "minRtt.progmp").Program
            ?? throw new InvalidOperationException("minRtt.progmp does not compile.");
        _interpreted = SchedulerCompiler.CompileInterpreted(source, "minRtt.progmp").Program!;
        _handWritten = new SchedulerProgram("minRtt", source, null, [], HandWrittenMinRtt.Decide);
        _scenario = new DecisionScenario(Subflows, QueuedPackets);
    }

    internal DecisionScenario Scenario => _scenario;

    [Benchmark(Baseline = true)]
    public long HandWritten() => _scenario.Decide(_handWritten);

    [Benchmark]
    public long Compiled() => _scenario.Decide(_compiled);

    [Benchmark]
    public long Interpreted() => _scenario.Decide(_interpreted);
}
