using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ProgMp.Cli.Demo;

/// <summary>One emulated path of the demo, as <c>--path NAME:MBIT:DELAYMS</c> gives it: a rate and a one-way delay, the same both ways.</summary>
internal sealed record EmulatedPathSpec(string Name, double RateMbitPerSecond, double OneWayDelayMilliseconds)
{
    public const int MaxNameLength = 12;
    public const double MaxRateMbitPerSecond = 10_000;
    public const double MaxDelayMilliseconds = 10_000;

    /// <summary>The default pair: a fast, near WiFi link and a slower, farther LTE link.</summary>
    public static IReadOnlyList<EmulatedPathSpec> Defaults { get; } =
    [
        new("wifi", 20, 10),
        new("lte", 10, 40),
    ];

    /// <summary>"20 Mbit/s, 10 ms" as the view and the summary show it.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{RateMbitPerSecond:0.###} Mbit/s {OneWayDelayMilliseconds:0.###} ms");

    public static bool TryParse(string text, [NotNullWhen(true)] out EmulatedPathSpec? spec, [NotNullWhen(false)] out string? problem)
    {
        spec = null;
        var parts = text.Split(':');
        if (parts.Length != 3)
        {
            problem = $"--path '{text}': expected NAME:MBIT:DELAYMS, e.g. wifi:20:10";
            return false;
        }

        var name = parts[0];
        if (name.Length is 0 or > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            problem = $"--path '{text}': the name must be 1 to {MaxNameLength} letters, digits, '-' or '_'";
            return false;
        }

        if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || !(rate > 0 && rate <= MaxRateMbitPerSecond))
        {
            problem = $"--path '{text}': the rate must be a number of Mbit/s above 0 and at most {MaxRateMbitPerSecond}";
            return false;
        }

        if (!double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var delay) || !(delay >= 0 && delay <= MaxDelayMilliseconds))
        {
            problem = $"--path '{text}': the one-way delay must be a number of milliseconds from 0 to {MaxDelayMilliseconds}";
            return false;
        }

        spec = new EmulatedPathSpec(name, rate, delay);
        problem = null;
        return true;
    }
}
