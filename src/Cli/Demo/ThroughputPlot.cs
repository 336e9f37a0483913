using ScottPlot;

namespace ProgMp.Cli.Demo;

/// <summary>
/// The PNG of a demo run: each path's throughput and the reader's goodput over time, on shaded
/// bands that name the phases. Each point is the rate over <see cref="DemoRunner.RateWindow"/> up to a sample.
/// </summary>
internal static class ThroughputPlot
{
    public const int Width = 1400;
    public const int Height = 700;

    public static void Save(DemoOutcome outcome, string file)
    {
        var plan = outcome.Plan;
        var recorder = outcome.Recorder;
        var samples = recorder.Samples;
        var paths = plan.Settings.Paths;
        var times = samples.Select(s => s.Time.TotalSeconds).ToArray();
        var capacity = paths.Sum(p => p.RateMbitPerSecond);

        var plot = new Plot();
        PlotFonts.Apply(plot);

        var series = new List<(string Legend, double[] Values, Color Color, float Width)>();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < paths.Count; i++)
        {
            var path = i;
            series.Add(($"{paths[i].Name} ({paths[i].Describe()})", samples.Select((_, k) => recorder.RateMbit(k, path, DemoRunner.RateWindow)).ToArray(), palette.GetColor(i), 2));
        }

        // The goodput often equals one path's rate (redundant: the faster path's; a path down: the other's).
        // Drawn first as a wide translucent band, it leaves a path's line on top of it visible there.
        series.Insert(0, ("goodput at the reader", samples.Select((_, k) => recorder.RateMbit(k, -1, DemoRunner.RateWindow)).ToArray(), Colors.Black.WithAlpha(0.3), 7));
        var top = Math.Max(capacity, series.Max(s => s.Values.Max())) * 1.22;

        // Phases first, so the lines are drawn over them.
        foreach (var phase in plan.Phases)
        {
            var tint = phase.Kind == DemoPhaseKind.Failure ? Colors.Red.WithAlpha(0.10) : phase.Number % 2 == 0 ? Colors.SteelBlue.WithAlpha(0.10) : Colors.Gray.WithAlpha(0.06);
            var band = plot.Add.HorizontalSpan(phase.Start.TotalSeconds, phase.End.TotalSeconds, tint);
            band.LineWidth = 0;
            if (phase.Number > 1)
            {
                plot.Add.VerticalLine(phase.Start.TotalSeconds, 1, Colors.Gray, LinePattern.Dashed);
            }

            var label = plot.Add.Text($"{phase.Number}. {phase.Label}", (phase.Start + (phase.Length / 2)).TotalSeconds, top * 0.985);
            label.Alignment = Alignment.UpperCenter;
            label.LabelFontSize = 15;
            label.LabelBold = true;
            label.LabelFontColor = Colors.Black.WithAlpha(0.75);
        }

        // After the last write the reader still gets what was buffered; say so rather than leave it blank.
        var end = Math.Max(times[^1], plan.Duration.TotalSeconds);
        if (end - plan.Duration.TotalSeconds > 0.2)
        {
            plot.Add.HorizontalSpan(plan.Duration.TotalSeconds, end, Colors.Gray.WithAlpha(0.03)).LineWidth = 0;
            plot.Add.VerticalLine(plan.Duration.TotalSeconds, 1, Colors.Gray, LinePattern.Dashed);
            // Left of the line and below the phase names: the band itself is often too narrow for text.
            var drain = plot.Add.Text("writes done ", plan.Duration.TotalSeconds, top * 0.93);
            drain.Alignment = Alignment.UpperRight;
            drain.LabelFontSize = 12;
            drain.LabelFontColor = Colors.Black.WithAlpha(0.5);
        }

        var sum = plot.Add.HorizontalLine(capacity, 1.5f, Colors.Gray, LinePattern.Dotted);
        sum.LegendText = $"sum of the path rates ({Units.Number(capacity, "0.###")} Mbit/s)";
        foreach (var (legend, values, color, width) in series)
        {
            var line = plot.Add.ScatterLine(times, values, color);
            line.LineWidth = width;
            line.LegendText = legend;
        }

        plot.Title($"ProgMp demo: one stream over {paths.Count} emulated paths, {plan.Settings.StartScheduler} and {plan.Settings.SwapScheduler}");
        plot.XLabel("time since the first write (s)");
        plot.YLabel($"throughput (Mbit/s, mean over {DemoRunner.RateWindow.TotalMilliseconds:0} ms)");
        plot.Axes.SetLimits(0, end, 0, top);
        plot.ShowLegend(Edge.Bottom);
        plot.SavePng(file, Width, Height);
    }
}
