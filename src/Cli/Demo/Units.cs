using System.Globalization;

namespace ProgMp.Cli.Demo;

/// <summary>How the demo writes sizes, rates and times: decimal units, invariant culture, short.</summary>
internal static class Units
{
    public static string Bytes(long bytes) => bytes switch
    {
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.0} kB"),
        < 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.00} GB"),
    };

    public static string Mbit(double mbit) => string.Create(CultureInfo.InvariantCulture, $"{mbit:0.0}");

    public static string Seconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.0} s");

    public static string Milliseconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:0} ms");

    public static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
