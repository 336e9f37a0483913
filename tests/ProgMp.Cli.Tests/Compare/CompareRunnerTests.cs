using ProgMp.Cli.Compare;

namespace ProgMp.Cli.Tests.Compare;

/// <summary>The order of runs: each repeat starts one scheduler further along, so the cold first run falls on each in turn.</summary>
public class CompareRunnerTests
{
    [Test]
    public void Each_repeat_starts_one_scheduler_further_along_and_runs_every_scheduler_once()
    {
        string[] schedulers = ["a", "b", "c"];
        Assert.Multiple(() =>
        {
            Assert.That(CompareRunner.Rotated(schedulers, 0), Is.EqualTo(new[] { "a", "b", "c" }));
            Assert.That(CompareRunner.Rotated(schedulers, 1), Is.EqualTo(new[] { "b", "c", "a" }));
            Assert.That(CompareRunner.Rotated(schedulers, 2), Is.EqualTo(new[] { "c", "a", "b" }));
            Assert.That(CompareRunner.Rotated(schedulers, 3), Is.EqualTo(new[] { "a", "b", "c" }), "round again");
        });
    }
}
