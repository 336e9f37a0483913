using Microsoft.Extensions.Logging;
using ProgMp.Runtime.Registry;

namespace ProgMp.Cli.Compare;

/// <summary>
/// Runs every scheduler on every scenario, repeatedly, one run at a time (runs side by side on a
/// small machine would measure each other). The schedulers take turns within each repeat, so a slow
/// stretch of the machine falls on all of them rather than on one, and each repeat starts one further
/// along their list, so the first run of a scenario (a cold runtime, caches to fill) is not always the
/// same scheduler's.
/// </summary>
internal sealed class CompareRunner
{
    private readonly SchedulerRegistry _registry;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ProgressLine _progress;

    public CompareRunner(SchedulerRegistry registry, ILoggerFactory loggerFactory, ProgressLine progress)
    {
        _registry = registry;
        _loggerFactory = loggerFactory;
        _progress = progress;
    }

    /// <summary>Every run, in turn; with <c>keepSamples</c> each keeps what the plots draw (see <see cref="RunResult"/>).</summary>
    public async Task<CompareReport> RunAsync(IReadOnlyList<Scenario> scenarios, IReadOnlyList<string> schedulers, int repeats, bool keepSamples, CancellationToken cancellationToken)
    {
        var runs = new List<RunResult>();
        var total = scenarios.Count * schedulers.Count * repeats;
        foreach (var scenario in scenarios)
        {
            for (var repeat = 0; repeat < repeats; repeat++)
            {
                foreach (var scheduler in Rotated(schedulers, repeat))
                {
                    _progress.Starting(runs.Count + 1, total, scheduler, scenario.Name, repeat + 1, repeats);
                    var run = new ScenarioRun(scenario, scheduler, repeat, keepSamples, _registry, _loggerFactory);
                    runs.Add(await run.ExecuteAsync(cancellationToken).ConfigureAwait(false));
                }
            }
        }

        return new CompareReport(scenarios, schedulers, repeats, runs);
    }

    /// <summary>The schedulers in turn, starting at the <paramref name="repeat"/>th (wrapping round).</summary>
    public static IEnumerable<string> Rotated(IReadOnlyList<string> schedulers, int repeat)
    {
        for (var i = 0; i < schedulers.Count; i++)
        {
            yield return schedulers[(repeat + i) % schedulers.Count];
        }
    }
}
