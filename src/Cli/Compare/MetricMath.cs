namespace ProgMp.Cli.Compare;

/// <summary>The arithmetic of compare's metrics, kept apart so each rule is tested on synthetic samples.</summary>
internal static class MetricMath
{
    /// <summary>
    /// The <paramref name="percent"/>th percentile, interpolated linearly between the two nearest ranks
    /// (the common "type 7" definition: the median of 1, 2, 3, 4 is 2.5; p100 is the maximum); null for no samples.
    /// </summary>
    public static double? Percentile(IReadOnlyList<double> samples, double percent) => Percentiles(samples, percent)[0];

    /// <summary>Each of <paramref name="percents"/> as <see cref="Percentile"/> gives it, the samples sorted once for all; nulls for no samples.</summary>
    public static double?[] Percentiles(IReadOnlyList<double> samples, params ReadOnlySpan<double> percents)
    {
        var result = new double?[percents.Length];
        var sorted = samples.Count == 0 ? [] : samples.Order().ToArray();
        for (var i = 0; i < percents.Length; i++)
        {
            var percent = percents[i];
            ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
            if (sorted.Length == 0)
            {
                continue;
            }

            var rank = percent / 100 * (sorted.Length - 1);
            var below = (int)Math.Floor(rank);
            var above = Math.Min(below + 1, sorted.Length - 1);
            result[i] = sorted[below] + ((rank - below) * (sorted[above] - sorted[below]));
        }

        return result;
    }

    /// <summary>
    /// The mean relative error of the bytes delivered in each second against what the rate promised
    /// (|delivered − expected| / expected), in percent; null when no whole second was run.
    /// </summary>
    public static double? DeliveryErrorPercent(IReadOnlyList<long> perSecond, double expectedBytesPerSecond)
    {
        if (perSecond.Count == 0 || expectedBytesPerSecond <= 0)
        {
            return null;
        }

        return perSecond.Average(delivered => Math.Abs(delivered - expectedBytesPerSecond) / expectedBytesPerSecond) * 100;
    }

    /// <summary>Mbit/s for <paramref name="bytes"/> over <paramref name="time"/>; null for no time.</summary>
    public static double? Mbit(long bytes, TimeSpan time) => time > TimeSpan.Zero ? bytes * 8 / time.TotalSeconds / 1e6 : null;

    /// <summary>
    /// Rates over a sliding window of a byte counter sampled over time: at each sample, the bytes since
    /// the sample <paramref name="window"/> earlier (or the first), in Mbit/s.
    /// </summary>
    public static double[] WindowedMbit(IReadOnlyList<double> seconds, IReadOnlyList<long> bytes, TimeSpan window)
    {
        var rates = new double[seconds.Count];
        var from = 0;
        for (var i = 1; i < seconds.Count; i++)
        {
            while (from < i - 1 && seconds[i] - seconds[from + 1] >= window.TotalSeconds)
            {
                from++;
            }

            var span = seconds[i] - seconds[from];
            rates[i] = span > 0 ? (bytes[i] - bytes[from]) * 8 / span / 1e6 : 0;
        }

        return rates;
    }
}
