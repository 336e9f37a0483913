using System.Globalization;
using ProgMp.Cli.Control;

namespace ProgMp.Cli.Compare;

/// <summary>
/// The terminal's table: one block per scenario, a row per metric the scenario measures and a column
/// per scheduler, each cell the median over the repeats with the range (min-max) beside it.
/// </summary>
internal static class CompareTableWriter
{
    public static void Write(CompareReport report, TextWriter output)
    {
        foreach (var scenario in report.Scenarios)
        {
            var workloads = string.Join(" + ", scenario.Workloads.Select(w => w.Name));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{scenario.Name}: {scenario.Description}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {ScenarioParser.Describe(scenario.Duration)}, {workloads}; median (min-max) of {report.Repeats} repeat{(report.Repeats == 1 ? "" : "s")}"));
            var rows = report.Schedulers.Select(s => report.Row(scenario.Name, s)).ToList();
            var table = new TextTable(["metric", .. report.Schedulers.Select(s => ">" + s)]);
            table.Add(["runs finished", .. rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Completed}/{r.Runs}"))]);
            foreach (var metric in CompareMetric.All.Where(m => rows.Any(r => r.Metrics[m.Key] is not null)))
            {
                table.Add([metric.Title, .. rows.Select(r => Cell(r.Metrics[metric.Key], metric.Format))]);
            }

            table.Write(output, "  ");
            foreach (var problem in rows.SelectMany(r => r.Problems.Select(p => $"  ! {r.Scheduler}, {p}")))
            {
                output.WriteLine(problem);
            }

            output.WriteLine();
        }
    }

    /// <summary>"12.31 (11.90-12.80)"; the median alone when every repeat agrees; "-" when not measured.</summary>
    public static string Cell(MetricSummary? summary, string format)
    {
        if (summary is null)
        {
            return "-";
        }

        var median = summary.Median.ToString(format, CultureInfo.InvariantCulture);
        var min = summary.Min.ToString(format, CultureInfo.InvariantCulture);
        var max = summary.Max.ToString(format, CultureInfo.InvariantCulture);
        return min == max ? median : $"{median} ({min}-{max})";
    }
}
