namespace ProgMp.Cli.Compare;

/// <summary>Everything a compare produced: what was compared, every run, and the rows summarizing them.</summary>
internal sealed record CompareReport(IReadOnlyList<Scenario> Scenarios, IReadOnlyList<string> Schedulers, int Repeats, IReadOnlyList<RunResult> Runs)
{
    public IReadOnlyList<CompareRow> Rows { get; } = Summarize(Scenarios, Schedulers, Runs);

    public bool AllCompleted => Runs.All(r => r.Problem is null);

    public CompareRow Row(string scenario, string scheduler) => Rows.First(r => r.Scenario == scenario && r.Scheduler == scheduler);

    private static List<CompareRow> Summarize(IReadOnlyList<Scenario> scenarios, IReadOnlyList<string> schedulers, IReadOnlyList<RunResult> runs)
    {
        var rows = new List<CompareRow>();
        foreach (var scenario in scenarios)
        {
            foreach (var scheduler in schedulers)
            {
                var mine = runs.Where(r => r.Scenario == scenario.Name && r.Scheduler == scheduler).ToList();
                var metrics = CompareMetric.All.ToDictionary(m => m.Key, m => MetricSummary.Of(mine.Select(r => m.Select(r.Metrics))), StringComparer.Ordinal);
                var problems = mine.Where(r => r.Problem is not null).Select(r => $"repeat {r.Repeat + 1}: {r.Problem}").ToList();
                rows.Add(new CompareRow(scheduler, scenario.Name, mine.Count, mine.Count - problems.Count, problems, metrics));
            }
        }

        return rows;
    }
}
