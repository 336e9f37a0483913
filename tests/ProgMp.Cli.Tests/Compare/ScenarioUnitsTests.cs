using ProgMp.Cli.Compare;

namespace ProgMp.Cli.Tests.Compare;

/// <summary>Units are read strictly: the documented spellings with invariant digits, nothing guessed.</summary>
public class ScenarioUnitsTests
{
    [TestCase("40ms", 40)]
    [TestCase("2.5s", 2500)]
    [TestCase("0ms", 0)]
    [TestCase("0.25ms", 0.25)]
    public void Times(string text, double milliseconds)
    {
        Assert.That(ScenarioUnits.TryParseTime(text, out var time), Is.True);
        Assert.That(time.TotalMilliseconds, Is.EqualTo(milliseconds).Within(1e-9));
    }

    [TestCase("20mbit", 20)]
    [TestCase("500kbit", 0.5)]
    [TestCase("1.5gbit", 1500)]
    public void Rates(string text, double mbit)
    {
        Assert.That(ScenarioUnits.TryParseRate(text, out var rate), Is.True);
        Assert.That(rate, Is.EqualTo(mbit).Within(1e-9));
    }

    [TestCase("64KiB", 65536)]
    [TestCase("200kB", 200_000)]
    [TestCase("1B", 1)]
    [TestCase("2MiB", 2 * 1024 * 1024)]
    [TestCase("1.5MB", 1_500_000)]
    public void Sizes(string text, long bytes)
    {
        Assert.That(ScenarioUnits.TryParseSize(text, out var size), Is.True);
        Assert.That(size, Is.EqualTo(bytes));
    }

    [TestCase("40")]
    [TestCase("40 ms")]
    [TestCase("40MS")]
    [TestCase("1e3ms")]
    [TestCase("-5ms")]
    [TestCase("+5ms")]
    [TestCase(".5s")]
    [TestCase("5.s")]
    [TestCase("4,5s")]
    [TestCase("5min")]
    [TestCase("ms")]
    public void Times_refused(string text) => Assert.That(ScenarioUnits.TryParseTime(text, out _), Is.False);

    [TestCase("20Mbit")]
    [TestCase("20mbps")]
    [TestCase("20")]
    [TestCase("NaNmbit")]
    [TestCase("Infinitymbit")]
    public void Rates_refused(string text) => Assert.That(ScenarioUnits.TryParseRate(text, out _), Is.False);

    [TestCase("64kib")]
    [TestCase("64kb")]
    [TestCase("1.5B")]
    [TestCase("64")]
    [TestCase("99999999999999999999GiB")]
    public void Sizes_refused(string text) => Assert.That(ScenarioUnits.TryParseSize(text, out _), Is.False);
}
