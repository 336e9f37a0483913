using ProgMp.Cli.Compare;

namespace ProgMp.Cli.Tests.Compare;

/// <summary>The arithmetic behind compare's metrics, on synthetic samples whose answers are known.</summary>
public class MetricMathTests
{
    [TestCase(new double[] { 7 }, 50, 7)]
    [TestCase(new double[] { 4, 1, 3, 2 }, 50, 2.5)]
    [TestCase(new double[] { 1, 2, 3, 4, 5 }, 50, 3)]
    [TestCase(new double[] { 1, 2, 3, 4, 5 }, 0, 1)]
    [TestCase(new double[] { 1, 2, 3, 4, 5 }, 100, 5)]
    [TestCase(new double[] { 1, 2, 3, 4, 5 }, 25, 2)]
    [TestCase(new double[] { 10, 20 }, 99, 19.9)]
    public void Percentiles_interpolate_between_the_nearest_ranks(double[] samples, double percent, double expected)
    {
        Assert.That(MetricMath.Percentile(samples, percent), Is.EqualTo(expected).Within(1e-9));
    }

    [Test]
    public void The_p99_of_a_hundred_flows_is_near_the_slowest_not_the_median()
    {
        var samples = Enumerable.Range(1, 100).Select(i => (double)i).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(MetricMath.Percentile(samples, 99), Is.EqualTo(99.01).Within(1e-9));
            Assert.That(MetricMath.Percentile(samples, 50), Is.EqualTo(50.5).Within(1e-9));
            Assert.That(MetricMath.Percentile([], 50), Is.Null);
            Assert.That(MetricMath.Percentiles(samples, 50, 99, 100), Is.EqualTo(new double?[] { 50.5, 99.01, 100 }).Within(1e-9), "several at once, as one at a time");
            Assert.That(MetricMath.Percentiles([], 50, 99), Is.EqualTo(new double?[] { null, null }));
        });
    }

    [TestCase(new long[] { 500, 500, 500 }, 500, 0)]
    [TestCase(new long[] { 250, 750 }, 500, 50)]
    [TestCase(new long[] { 0, 500, 500, 500 }, 500, 25)]
    [TestCase(new long[] { 1000 }, 500, 100)]
    public void The_delivery_error_is_the_mean_relative_miss_of_each_second(long[] perSecond, double expected, double percent)
    {
        Assert.That(MetricMath.DeliveryErrorPercent(perSecond, expected), Is.EqualTo(percent).Within(1e-9));
    }

    [Test]
    public void Goodput_is_bits_over_time_and_a_window_of_a_counter_gives_its_rate()
    {
        var seconds = new[] { 0.0, 0.25, 0.5, 0.75, 1.0 };
        var bytes = new long[] { 0, 125_000, 250_000, 250_000, 250_000 };
        var rates = MetricMath.WindowedMbit(seconds, bytes, TimeSpan.FromMilliseconds(500));
        Assert.Multiple(() =>
        {
            Assert.That(MetricMath.Mbit(1_250_000, TimeSpan.FromSeconds(1)), Is.EqualTo(10));
            Assert.That(MetricMath.Mbit(1, TimeSpan.Zero), Is.Null);
            Assert.That(rates, Is.EqualTo(new[] { 0, 4, 4, 2, 0 }).Within(1e-9));
        });
    }

    [Test]
    public void A_stall_is_the_longest_wait_for_outstanding_bytes_and_idle_time_is_none()
    {
        var watch = new StallWatch();
        watch.Wrote(100, Ms(0));
        watch.Read(40, Ms(10));    // the first bytes after 10 ms: the path's delay counts
        watch.Read(60, Ms(90));    // 80 ms without a byte while 60 were due: the stall
        watch.Wrote(50, Ms(1000)); // idle for 910 ms: nobody waited
        watch.Read(50, Ms(1020));
        Assert.That(watch.LongestAt(Ms(5000)), Is.EqualTo(Ms(80)));
    }

    [Test]
    public void A_wait_still_going_on_at_the_end_counts_in_full()
    {
        var watch = new StallWatch();
        watch.Wrote(100, Ms(100));
        Assert.That(watch.LongestAt(Ms(6100)), Is.EqualTo(Ms(6000)));
    }

    [Test]
    public void A_constant_bit_rate_receiver_counts_each_second_and_the_longest_gap()
    {
        var receiver = new CbrReceiver(TimeSpan.FromSeconds(3));
        receiver.Read(100, Ms(40));
        receiver.Read(100, Ms(980));
        receiver.Read(300, Ms(1010));
        receiver.Read(50, Ms(60_000)); // far past the span: kept in the last slot, never out of bounds
        Assert.Multiple(() =>
        {
            Assert.That(receiver.PerSecond(2), Is.EqualTo(new long[] { 200, 300 }));
            Assert.That(receiver.LongestGap, Is.EqualTo(Ms(60_000 - 1010)));
        });
    }

    [Test]
    public void Flow_sizes_stay_in_range_spread_over_the_decades_and_repeat_for_a_seed()
    {
        var sizes = new FlowSizes(1, 200_000, FlowSizes.Seed(0, 0));
        var drawn = Enumerable.Range(0, 2000).Select(_ => sizes.Next()).ToList();
        var again = new FlowSizes(1, 200_000, FlowSizes.Seed(0, 0));
        Assert.Multiple(() =>
        {
            Assert.That(drawn, Is.All.InRange(1L, 200_000L));
            Assert.That(drawn.Count(s => s < 100), Is.InRange(600, 1000), "log-uniform: about 2 of 5.3 decades below 100 B");
            Assert.That(drawn.Count(s => s >= 10_000), Is.InRange(300, 700));
            Assert.That(Enumerable.Range(0, 2000).Select(_ => again.Next()), Is.EqualTo(drawn));
        });
    }

    [Test]
    public void Summaries_skip_runs_that_did_not_measure_and_give_the_median_and_range()
    {
        var summary = MetricSummary.Of([3.0, null, 1.0, 10.0]);
        Assert.Multiple(() =>
        {
            Assert.That(summary, Is.EqualTo(new MetricSummary(3, 1, 10)));
            Assert.That(MetricSummary.Of([null, null]), Is.Null);
            Assert.That(CompareTableWriter.Cell(summary, "0.0"), Is.EqualTo("3.0 (1.0-10.0)"));
            Assert.That(CompareTableWriter.Cell(new MetricSummary(2, 2, 2), "0"), Is.EqualTo("2"));
            Assert.That(CompareTableWriter.Cell(null, "0"), Is.EqualTo("-"));
        });
    }

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
