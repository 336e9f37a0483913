namespace ProgMp.Cli.Compare;

/// <summary>A metric over the repeats of one scheduler on one scenario: the median and the range.</summary>
internal sealed record MetricSummary(double Median, double Min, double Max)
{
    /// <summary>
    /// Over the values that exist, of every run whether it finished or not (docs/compare.md, "Metrics");
    /// null when none does (the scenario does not measure it, or no run finished setup).
    /// </summary>
    public static MetricSummary? Of(IEnumerable<double?> values)
    {
        var present = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return present.Count == 0 ? null : new MetricSummary(MetricMath.Percentile(present, 50)!.Value, present.Min(), present.Max());
    }
}
