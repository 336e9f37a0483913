using System.Globalization;

namespace ProgMp.Cli.Compare;

/// <summary>
/// The quantities of a scenario file, parsed strictly: digits with an optional decimal point (invariant
/// culture, no sign, no exponent) followed at once by one of the documented units. Anything else is
/// refused with the accepted units named, so a typo never becomes a silently different experiment.
/// </summary>
internal static class ScenarioUnits
{
    public const string TimeUnits = "ms or s (e.g. 40ms, 2.5s)";
    public const string RateUnits = "kbit, mbit or gbit per second (e.g. 20mbit)";
    public const string SizeUnitList = "B, kB, KiB, MB, MiB, GB or GiB";
    public const string SizeUnits = SizeUnitList + " (e.g. 64KiB, 200kB)";

    private static readonly (string Unit, double Factor)[] s_times = [("ms", 1e-3), ("s", 1)];
    private static readonly (string Unit, double Factor)[] s_rates = [("kbit", 1e-3), ("mbit", 1), ("gbit", 1e3)];
    private static readonly (string Unit, double Factor)[] s_sizes =
        [("KiB", 1024), ("MiB", 1024 * 1024), ("GiB", 1024 * 1024 * 1024), ("kB", 1e3), ("MB", 1e6), ("GB", 1e9), ("B", 1)];

    /// <summary>A time such as <c>40ms</c> or <c>2.5s</c>.</summary>
    public static bool TryParseTime(string text, out TimeSpan time)
    {
        time = default;
        if (!TryParse(text, s_times, out var seconds) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        time = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    /// <summary>A rate such as <c>20mbit</c>, in Mbit/s (10^6 bits per second).</summary>
    public static bool TryParseRate(string text, out double mbitPerSecond) => TryParse(text, s_rates, out mbitPerSecond);

    /// <summary>A size such as <c>64KiB</c> or <c>200kB</c>, in whole bytes.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        if (!TryParse(text, s_sizes, out var value) || value > long.MaxValue / 2 || value != Math.Floor(value))
        {
            return false;
        }

        bytes = (long)value;
        return true;
    }

    /// <summary>A size range <c>MIN-MAX</c> such as <c>1B-200kB</c>, with MIN at most MAX.</summary>
    public static bool TryParseSizeRange(string text, out long min, out long max)
    {
        min = max = 0;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && TryParseSize(text[..dash], out min) && TryParseSize(text[(dash + 1)..], out max) && min <= max;
    }

    /// <summary>A whole number without a unit, such as an object count.</summary>
    public static bool TryParseCount(string text, out int count) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count);

    /// <summary>A plain decimal number such as <c>0.5</c> (for <c>--scale</c>).</summary>
    public static bool TryParseNumber(string text, out double value)
    {
        value = 0;
        return IsDecimal(text) && double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryParse(string text, (string Unit, double Factor)[] units, out double value)
    {
        value = 0;
        foreach (var (unit, factor) in units)
        {
            if (text.Length > unit.Length && text.EndsWith(unit, StringComparison.Ordinal) && TryParseNumber(text[..^unit.Length], out var number))
            {
                value = number * factor;
                return double.IsFinite(value);
            }
        }

        return false;
    }

    private static bool IsDecimal(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? "1" : text[(dot + 1)..];
        return whole.Length > 0 && whole.All(char.IsAsciiDigit) && fraction.Length > 0 && fraction.All(char.IsAsciiDigit);
    }
}
