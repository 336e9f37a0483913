using ProgMp.Proxy.Control;

namespace ProgMp.Proxy.Tests.Control;

/// <summary>Rates from snapshots, on a clock driven by hand.</summary>
public class RateTrackerTests
{
    private long _now;

    [Test]
    public void The_first_sight_has_no_rate_and_later_ones_divide_by_the_time_since_the_snapshot()
    {
        var rates = new RateTracker(() => _now);

        var first = rates.Rate("a", 1000);
        _now += TimeSpan.TicksPerSecond / 2;
        var half = rates.Rate("a", 1500);
        _now += TimeSpan.TicksPerSecond / 2;
        var whole = rates.Rate("a", 3000);
        _now += TimeSpan.TicksPerSecond;
        var renewed = rates.Rate("a", 3500);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Null);
            Assert.That(half, Is.EqualTo(1000), "500 units in half a second");
            Assert.That(whole, Is.EqualTo(2000), "2000 units in a second since the snapshot, which stays until it is a second old");
            Assert.That(renewed, Is.EqualTo(500), "the snapshot was renewed at the one-second mark");
        });
    }

    [Test]
    public void A_counter_that_goes_back_starts_over_and_unseen_counters_are_forgotten()
    {
        var rates = new RateTracker(() => _now);
        rates.Rate("a", 1000);
        rates.Rate("b", 1000);
        _now += TimeSpan.TicksPerSecond;

        var back = rates.Rate("a", 10);
        _now += TimeSpan.FromMinutes(2).Ticks;
        rates.Rate("a", 20);

        Assert.That(back, Is.Null);
        Assert.That(rates.Count, Is.EqualTo(1), "b was not asked for in two minutes");
    }
}
