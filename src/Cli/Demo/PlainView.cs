using System.Text;

namespace ProgMp.Cli.Demo;

/// <summary>The live view when the output is not a terminal: one line a second, and each event as it happens.</summary>
internal sealed class PlainView : IDemoView
{
    private readonly TextWriter _output;
    private TimeSpan _nextLine;

    public PlainView(TextWriter output)
    {
        _output = output;
    }

    /// <summary>One line per this much time, and the per-path rates are averaged over it.</summary>
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(1);

    public void Begin(DemoPlan plan)
    {
        var paths = string.Join(", ", plan.Settings.Paths.Select(p => $"{p.Name} {p.Describe()}"));
        _output.WriteLine($"ProgMp demo: one stream for {Units.Seconds(plan.Duration)} over {plan.Settings.Paths.Count} emulated paths on loopback ({paths}), packets of {plan.Settings.PacketSize} B");
        _nextLine = Interval;
        _output.Flush();
    }

    public void Update(DemoViewState state, IReadOnlyList<DemoEvent> events)
    {
        foreach (var item in events)
        {
            _output.WriteLine($"{Units.Seconds(item.Time),7}  * {item.Text}");
        }

        var sample = state.Sample;
        if (sample.Time >= _nextLine)
        {
            _nextLine += Interval;
            var line = new StringBuilder();
            line.Append($"{Units.Seconds(sample.Time),7}  phase {sample.Phase.Number} {sample.Phase.Scheduler,-10}");
            for (var i = 0; i < sample.Paths.Count; i++)
            {
                var path = sample.Paths[i];
                var rate = state.Recorder.RateMbit(state.Index, i, Interval);
                line.Append($" | {state.Plan.Settings.Paths[i].Name} {Units.Mbit(rate),5} Mbit/s");
                line.Append(path.SubflowState is null
                    ? $" {path.State}"
                    : $" rtt {Units.Number(path.RttMilliseconds, "0")} ms cwnd {path.CongestionWindow} flight {path.InFlight}+{path.Queued} {path.State}");
            }

            line.Append($" | reader {Units.Mbit(state.Recorder.RateMbit(state.Index, -1, Interval))} Mbit/s");
            _output.WriteLine(line.ToString());
        }

        _output.Flush();
    }

    public void End() => _output.Flush();
}
