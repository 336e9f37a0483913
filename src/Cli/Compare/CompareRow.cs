namespace ProgMp.Cli.Compare;

/// <summary>One scheduler on one scenario over all repeats: how many runs finished, why the others did not, and each metric's summary (by <see cref="CompareMetric.Key"/>).</summary>
internal sealed record CompareRow(string Scheduler, string Scenario, int Runs, int Completed, IReadOnlyList<string> Problems, IReadOnlyDictionary<string, MetricSummary?> Metrics);
