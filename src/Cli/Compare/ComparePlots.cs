using System.Globalization;
using ScottPlot;

namespace ProgMp.Cli.Compare;

/// <summary>
/// The PNGs of a compare, per scenario: goodput over time, one line per scheduler, with the scenario's
/// events marked (<c>NAME-goodput.png</c>); and where measured, the CDFs of flow completion time
/// (<c>NAME-fct-cdf.png</c>) and of application RTT (<c>NAME-rtt-cdf.png</c>), samples pooled over repeats.
/// </summary>
internal static class ComparePlots
{
    public const int Width = 1400;
    public const int Height = 700;

    /// <summary>Goodput at each sample is the mean over this window: shorter windows mostly show the send loop's bursts.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMilliseconds(500);

    /// <summary>Writes the plots into <paramref name="directory"/> (which exists) and returns the files written.</summary>
    public static IReadOnlyList<string> Save(CompareReport report, string directory)
    {
        var files = new List<string>();
        foreach (var scenario in report.Scenarios)
        {
            var runs = report.Runs.Where(r => r.Scenario == scenario.Name).ToList();
            files.Add(SaveGoodput(report, scenario, runs, Path.Combine(directory, scenario.Name + "-goodput.png")));
            if (runs.Any(r => r.FlowMilliseconds.Count > 0))
            {
                files.Add(SaveCdf(report, scenario, runs, r => r.FlowMilliseconds, "flow completion time (ms)", "FCT", Path.Combine(directory, scenario.Name + "-fct-cdf.png")));
            }

            if (runs.Any(r => r.RoundTripMilliseconds.Count > 0))
            {
                files.Add(SaveCdf(report, scenario, runs, r => r.RoundTripMilliseconds, "application round-trip time (ms)", "app RTT", Path.Combine(directory, scenario.Name + "-rtt-cdf.png")));
            }
        }

        return files;
    }

    private static string SaveGoodput(CompareReport report, Scenario scenario, List<RunResult> runs, string file)
    {
        var plot = NewPlot();
        var palette = new ScottPlot.Palettes.Category10();
        var top = 1.0;
        for (var i = 0; i < report.Schedulers.Count; i++)
        {
            if (Representative(runs.Where(r => r.Scheduler == report.Schedulers[i]).ToList()) is not { SampleSeconds.Count: > 1 } run)
            {
                continue;
            }

            var rates = MetricMath.WindowedMbit(run.SampleSeconds, run.DeliveredBytes, RateWindow);
            top = Math.Max(top, rates.Max());
            var line = plot.Add.ScatterLine(run.SampleSeconds.ToArray(), rates, palette.GetColor(i));
            line.LineWidth = 2;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{run.Scheduler} (repeat {run.Repeat + 1}, {run.Metrics.GoodputMbit:0.00} Mbit/s)");
        }

        top *= 1.25;
        foreach (var group in scenario.Events.GroupBy(e => e.At))
        {
            plot.Add.VerticalLine(group.Key.TotalSeconds, 1.5f, Colors.Gray, LinePattern.Dashed);
            var label = plot.Add.Text(string.Join(", ", group.Select(e => e.Label)), group.Key.TotalSeconds, top * 0.985);
            label.Alignment = Alignment.UpperLeft;
            label.LabelFontSize = 13;
            label.LabelFontColor = Colors.Black.WithAlpha(0.75);
        }

        plot.Add.VerticalLine(scenario.Duration.TotalSeconds, 1, Colors.Black.WithAlpha(0.4), LinePattern.Dotted);
        var end = plot.Add.Text("end ", scenario.Duration.TotalSeconds, top * 0.9);
        end.Alignment = Alignment.UpperRight;
        end.LabelFontColor = Colors.Black.WithAlpha(0.5);
        plot.Title($"{scenario.Name}: goodput at the applications, {string.Join(" + ", scenario.Workloads.Select(w => w.Name))}");
        plot.XLabel("time since the start (s)");
        plot.YLabel($"goodput (Mbit/s, mean over {RateWindow.TotalMilliseconds:0} ms)");
        var last = Math.Max(scenario.Duration.TotalSeconds, runs.Where(r => r.SampleSeconds.Count > 0).Select(r => r.SampleSeconds[^1]).DefaultIfEmpty(0).Max());
        plot.Axes.SetLimits(0, last, 0, top);
        plot.ShowLegend(Edge.Bottom);
        plot.SavePng(file, Width, Height);
        return file;
    }

    private static string SaveCdf(CompareReport report, Scenario scenario, List<RunResult> runs, Func<RunResult, IReadOnlyList<double>> samples, string axis, string what, string file)
    {
        var plot = NewPlot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < report.Schedulers.Count; i++)
        {
            var values = runs.Where(r => r.Scheduler == report.Schedulers[i]).SelectMany(samples).Order().ToArray();
            if (values.Length == 0)
            {
                continue;
            }

            var fractions = values.Select((_, k) => (k + 1.0) / values.Length).ToArray();
            var line = plot.Add.ScatterLine(values, fractions, palette.GetColor(i));
            line.LineWidth = 2;
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{report.Schedulers[i]} ({values.Length} samples)");
        }

        plot.Title($"{scenario.Name}: CDF of {what}, all repeats");
        plot.XLabel(axis);
        plot.YLabel("fraction of samples at or below");
        plot.Axes.SetLimitsY(0, 1.02);
        plot.Axes.AutoScaleX();
        plot.ShowLegend(Edge.Bottom);
        plot.SavePng(file, Width, Height);
        return file;
    }

    /// <summary>
    /// The run whose goodput is the median of all runs, finished or not, as the table's median is: a
    /// real run, not an average that smooths its dips.
    /// </summary>
    private static RunResult? Representative(List<RunResult> runs)
    {
        var ordered = runs.OrderBy(r => r.Metrics.GoodputMbit ?? 0).ToList();
        return ordered.Count == 0 ? null : ordered[(ordered.Count - 1) / 2];
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        PlotFonts.Apply(plot);
        return plot;
    }
}
