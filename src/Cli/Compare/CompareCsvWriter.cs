using System.Globalization;
using System.Text;

namespace ProgMp.Cli.Compare;

/// <summary>
/// The summary as CSV (RFC 4180, comma-separated, invariant culture): one row per scheduler and
/// scenario; for each metric three columns, <c>KEY_median</c>, <c>KEY_min</c>, <c>KEY_max</c>, empty where
/// not measured. Numbers are written to round-trip, so they equal the JSON's.
/// </summary>
internal static class CompareCsvWriter
{
    public static void Write(CompareReport report, TextWriter output)
    {
        var header = new List<string> { "scheduler", "scenario", "runs", "completed" };
        header.AddRange(CompareMetric.All.SelectMany(m => new[] { m.Key + "_median", m.Key + "_min", m.Key + "_max" }));
        output.Write(string.Join(',', header) + "\r\n");
        foreach (var row in report.Rows)
        {
            var cells = new List<string> { Quote(row.Scheduler), Quote(row.Scenario), Number(row.Runs), Number(row.Completed) };
            foreach (var metric in CompareMetric.All)
            {
                var summary = row.Metrics[metric.Key];
                cells.Add(summary is null ? "" : Number(summary.Median));
                cells.Add(summary is null ? "" : Number(summary.Min));
                cells.Add(summary is null ? "" : Number(summary.Max));
            }

            output.Write(string.Join(',', cells) + "\r\n");
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string text)
    {
        if (text.IndexOfAny([',', '"', '\r', '\n']) < 0)
        {
            return text;
        }

        return new StringBuilder("\"").Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"').ToString();
    }
}
