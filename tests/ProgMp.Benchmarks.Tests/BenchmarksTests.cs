namespace ProgMp.Benchmarks.Tests;

/// <summary>
/// Each benchmark run once, checking its answer: a benchmark that measures a wrong decision, or that
/// leaves the state changed so that the next call measures another one, proves nothing.
/// </summary>
public class BenchmarksTests
{
    [TestCase(2)]
    [TestCase(4)]
    [TestCase(8)]
    public void Every_minRtt_decision_picks_the_fastest_subflow_and_leaves_the_state_as_it_found_it(int subflows)
    {
        var benchmarks = new MinRttDecisionBenchmarks { Subflows = subflows };
        benchmarks.Setup();
        var expected = benchmarks.Scenario.FastestId;
        var decisions = new[]
        {
            benchmarks.HandWritten(), benchmarks.Compiled(), benchmarks.Interpreted(),
            benchmarks.Compiled(), benchmarks.HandWritten(), benchmarks.Interpreted(),
        };

        Assert.Multiple(() =>
        {
            Assert.That(decisions, Is.All.EqualTo(expected));
            Assert.That(benchmarks.Scenario.IsAsBuilt(MinRttDecisionBenchmarks.QueuedPackets), Is.True);
        });
    }

    [TestCase(2)]
    [TestCase(8)]
    public void Every_traced_decision_picks_the_fastest_subflow_and_only_the_recording_one_is_recorded(int subflows)
    {
        var benchmarks = new DecisionTraceBenchmarks { Subflows = subflows };
        benchmarks.Setup();
        var decisions = new[] { benchmarks.NoHook(), benchmarks.TraceOff(), benchmarks.TraceOn(), benchmarks.TraceOff(), benchmarks.TraceOn() };

        var trace = benchmarks.Trace;
        Assert.Multiple(() =>
        {
            Assert.That(decisions, Is.All.EqualTo(benchmarks.Scenario.FastestId));
            Assert.That(benchmarks.Scenario.IsAsBuilt(MinRttDecisionBenchmarks.QueuedPackets), Is.True);
            Assert.That(trace.Recorded, Is.EqualTo(2));
            Assert.That(trace.Decisions.Select(d => d.Actions.Single(a => a.Kind == Engine.TracedActionKind.Push).SubflowId), Is.All.EqualTo(benchmarks.Scenario.FastestId));
            Assert.That(trace.Decisions.Select(d => d.Subflows.Count), Is.All.EqualTo(subflows));
        });
    }

    [Test]
    public void Compiling_minRtt_succeeds()
    {
        var benchmarks = new CompileBenchmarks();
        benchmarks.Setup();
        Assert.Multiple(() =>
        {
            Assert.That(benchmarks.ParseAndBind(), Is.True);
            Assert.That(benchmarks.Compile().Succeeded, Is.True);
        });
    }
}
