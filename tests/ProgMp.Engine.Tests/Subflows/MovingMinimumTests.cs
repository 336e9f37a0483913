using ProgMp.Engine.Subflows;

namespace ProgMp.Engine.Tests.Subflows;

/// <summary>The least value of the last span (ten seconds here, in buckets of one).</summary>
public sealed class MovingMinimumTests
{
    private const long Second = 1_000_000;

    [Test]
    public void It_is_the_least_value_of_the_span()
    {
        var minimum = new MovingMinimum(10 * Second);
        Assert.That(minimum.HasValue, Is.False);

        minimum.Add(50, Second / 2);
        minimum.Add(30, 3 * Second);
        minimum.Add(40, 9 * Second);

        Assert.Multiple(() =>
        {
            Assert.That(minimum.HasValue, Is.True);
            Assert.That(minimum.Value, Is.EqualTo(30));
        });
    }

    [Test]
    public void An_old_least_expires_to_the_least_value_since_not_to_the_latest()
    {
        var minimum = new MovingMinimum(10 * Second);
        minimum.Add(30, Second / 2);
        minimum.Add(80, 5 * Second + (Second / 2));
        minimum.Add(60, 9 * Second + (Second / 2));

        minimum.Add(90, 11 * Second + (Second / 5));

        Assert.That(minimum.Value, Is.EqualTo(60), "30 is over ten seconds old; 60 is the least since");
    }

    [Test]
    public void After_a_silence_longer_than_the_span_the_latest_value_is_the_least()
    {
        var minimum = new MovingMinimum(10 * Second);
        minimum.Add(30, Second);

        minimum.Add(90, 25 * Second);

        Assert.That(minimum.Value, Is.EqualTo(90));
    }
}
