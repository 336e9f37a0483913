using ProgMp.Emulation;

namespace ProgMp.Emulation.Tests;

public sealed class PathProfileTests
{
    [TestCase(null, 64 * 1024)]
    [TestCase(10.0, 64 * 1024)]
    [TestCase(100.0, 250_000)]
    [TestCase(500.0, 1_250_000)]
    public void The_default_queue_is_like_tbf_s_at_least_64_KiB_or_20_ms_at_the_rate(double? mbitPerSecond, int expected)
    {
        Assert.That(new PathProfile(TimeSpan.Zero, mbitPerSecond).EffectiveQueueLimitBytes, Is.EqualTo(expected));
    }

    [Test]
    public void An_explicit_queue_limit_wins()
    {
        Assert.That(new PathProfile(TimeSpan.Zero, 500, 10_000).EffectiveQueueLimitBytes, Is.EqualTo(10_000));
    }

    [Test]
    public void Impossible_profiles_are_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PathProfile(TimeSpan.FromMilliseconds(-1)));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PathProfile(TimeSpan.Zero, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PathProfile(TimeSpan.Zero, double.PositiveInfinity));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PathProfile(TimeSpan.Zero, 10, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = PathProfile.Unlimited with { OneWayDelay = TimeSpan.FromTicks(-1) });
        });
    }

    [Test]
    public void A_profile_describes_itself_in_units()
    {
        Assert.That(new PathProfile(TimeSpan.FromMilliseconds(20), 100).ToString(), Is.EqualTo("delay 20 ms, rate 100 Mbit/s, queue 250000 B"));
    }
}
