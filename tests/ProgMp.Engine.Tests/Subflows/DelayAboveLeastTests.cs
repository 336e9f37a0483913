using ProgMp.Engine.Subflows;

namespace ProgMp.Engine.Tests.Subflows;

/// <summary>The queueing a smoothed delay carries above its least (gain 1/8, ten seconds remembered).</summary>
public sealed class DelayAboveLeastTests
{
    private const long Span = 10_000_000;

    [TestCase(0L, TestName = "A delay that rises by 30 ms shows 30 ms above its least")]
    [TestCase(-7_000_000_000L, TestName = "A constant in every sample, as a clock offset, cancels")]
    public void A_rise_shows_above_the_least(long offsetUs)
    {
        var delay = new DelayAboveLeast(3, Span);
        var now = 1_000_000L;
        Assert.That(delay.ExcessUs, Is.Zero, "nothing before a sample");
        for (var i = 0; i < 100; i++)
        {
            delay.Add(offsetUs + 20_000, now += 1_000);
        }

        Assert.That(delay.ExcessUs, Is.Zero, "a steady delay carries no queueing");
        for (var i = 0; i < 100; i++)
        {
            delay.Add(offsetUs + 50_000, now += 1_000);
        }

        Assert.That(delay.ExcessUs, Is.InRange(29_900, 30_000));
    }

    [Test]
    public void Jitter_alone_adds_little()
    {
        var delay = new DelayAboveLeast(3, Span);
        var now = 1_000_000L;
        for (var i = 0; i < 1_000; i++)
        {
            delay.Add(i % 2 == 0 ? 18_000 : 22_000, now += 1_000);
        }

        Assert.That(delay.ExcessUs, Is.LessThan(1_000), "samples 2 ms either side of 20 ms; the least single sample would make it 2 ms or more");
    }

    [Test]
    public void A_delay_that_stays_high_for_longer_than_the_span_becomes_the_least()
    {
        var delay = new DelayAboveLeast(3, Span);
        delay.Add(20_000, 1_000_000);
        var now = 1_000_000L;
        for (var i = 0; i < 200; i++)
        {
            delay.Add(50_000, now += 100_000);
        }

        Assert.That(delay.ExcessUs, Is.Zero, "twenty seconds at 50 ms: the path's delay is 50 ms now");
    }
}
