using System.Text;
using Microsoft.Extensions.Logging;

namespace ProgMp.Cli.Demo;

/// <summary>
/// The live view on a terminal: one block redrawn in place a few times a second with ANSI cursor
/// movement, each frame written at once so it does not flicker.
/// </summary>
internal sealed class TerminalView : IDemoView
{
    private const string Escape = "\u001b[";
    private const int EventLines = 5;
    private const int BarCells = 24;

    // Every second sample: four frames a second at the demo's 125 ms sampling.
    private const int SamplesPerFrame = 2;

    private readonly TextWriter _output;
    private readonly int _width;
    private readonly bool _color;
    private readonly List<DemoEvent> _events = [];
    private DemoPlan? _plan;
    private DemoViewState? _last;
    private int _linesDrawn;

    public TerminalView(TextWriter output, int width, bool color)
    {
        _output = output;
        _width = Math.Max(40, width);
        _color = color;
    }

    public void Begin(DemoPlan plan)
    {
        _plan = plan;
        _output.Write(Escape + "?25l");
        _output.Flush();
    }

    public void Update(DemoViewState state, IReadOnlyList<DemoEvent> events)
    {
        _events.AddRange(events);
        if (_events.Count > EventLines)
        {
            _events.RemoveRange(0, _events.Count - EventLines);
        }

        _last = state;
        if (state.Index % SamplesPerFrame == 0)
        {
            Draw(state);
        }
    }

    public void End()
    {
        if (_last is { } state)
        {
            Draw(state);
        }

        _output.Write(Escape + "?25h");
        _output.WriteLine();
        _output.Flush();
    }

    private void Draw(DemoViewState state)
    {
        var plan = _plan!;
        var sample = state.Sample;
        var lines = new List<string>
        {
            Bold($"ProgMp demo: {plan.Settings.Paths.Count} emulated paths on loopback, one stream, packets of {plan.Settings.PacketSize} B"),
            state.Draining
                ? "writes completed: the reader is getting the rest"
                : $"phase {sample.Phase.Number}/{plan.Phases.Count}  {sample.Phase.Description}",
            $"t {Units.Seconds(sample.Time),7} of {Units.Seconds(plan.Duration)}  {Progress(sample.Time, plan.Duration)}",
            "",
            Dim($"{"path",-12} {"link",-20} {"Mbit/s",6} {new string(' ', BarCells)} {"RTT ms",7} {"cwnd",5} {"flight+queue",13}  state"),
        };

        var maxRate = plan.Settings.Paths.Max(p => p.RateMbitPerSecond);
        for (var i = 0; i < plan.Settings.Paths.Count; i++)
        {
            var spec = plan.Settings.Paths[i];
            var path = sample.Paths[i];
            var rate = state.Recorder.RateMbit(state.Index, i, DemoRunner.RateWindow);
            var up = path.SubflowState is not null;
            var figures = up
                ? $"{Units.Number(path.RttMilliseconds, "0.0"),7} {path.CongestionWindow,5} {$"{path.InFlight}+{path.Queued}",13}"
                : $"{"-",7} {"-",5} {"-",13}";
            lines.Add($"{spec.Name,-12} {spec.Describe(),-20} {Units.Mbit(rate),6} {Bar(rate, spec.RateMbitPerSecond, maxRate)} {figures}  {Colored(path.State)}");
        }

        lines.Add("");
        var goodput = state.Recorder.RateMbit(state.Index, -1, DemoRunner.RateWindow);
        var stall = state.Probe.LongestGap;
        lines.Add($"reader  goodput {Units.Mbit(goodput)} Mbit/s   received {Units.Bytes(sample.BytesRead)}   longest stall {Units.Milliseconds(stall.Length)}");
        lines.Add(Dim("events"));
        for (var i = 0; i < EventLines; i++)
        {
            lines.Add(i < _events.Count ? Event(_events[i]) : "");
        }

        var frame = new StringBuilder();
        if (_linesDrawn > 0)
        {
            frame.Append(Escape).Append(_linesDrawn).Append('F');
        }

        foreach (var line in lines)
        {
            frame.Append(Escape).Append("2K").Append(Fit(line)).Append('\n');
        }

        _linesDrawn = lines.Count;
        _output.Write(frame.ToString());
        _output.Flush();
    }

    private string Event(DemoEvent item)
    {
        var text = $"  {Units.Seconds(item.Time),7}  {item.Text}";
        return item.Level >= LogLevel.Warning ? Paint(text, "33") : text;
    }

    private static string Progress(TimeSpan time, TimeSpan duration)
    {
        const int Cells = 30;
        var done = (int)Math.Clamp(Math.Round(time / duration * Cells), 0, Cells);
        return "[" + new string('#', done) + new string('.', Cells - done) + "]";
    }

    // Filled cells for the rate, light cells up to the path's capacity, on a scale of the fastest path.
    private static string Bar(double rate, double capacity, double maxRate)
    {
        var capacityCells = (int)Math.Clamp(Math.Round(capacity / maxRate * BarCells), 1, BarCells);
        var filled = (int)Math.Clamp(Math.Round(rate / maxRate * BarCells), 0, capacityCells);
        return new string('█', filled) + new string('░', capacityCells - filled) + new string(' ', BarCells - capacityCells);
    }

    private string Colored(string state) => state switch
    {
        "active" => Paint(state, "32"),
        "suspected" or "reconnecting" => Paint(state, "33"),
        _ => Paint(state, "31"),
    };

    private string Bold(string text) => Paint(text, "1");

    private string Dim(string text) => Paint(text, "2");

    private string Paint(string text, string code) => _color ? $"{Escape}{code}m{text}{Escape}0m" : text;

    // Cuts a line to the terminal's width, not counting escape sequences: a wrapped line would
    // break the cursor arithmetic of the next frame.
    private string Fit(string line)
    {
        var visible = 0;
        var result = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\u001b')
            {
                var end = line.IndexOf('m', i);
                end = end < 0 ? line.Length - 1 : end;
                result.Append(line, i, end - i + 1);
                i = end;
                continue;
            }

            if (visible < _width - 1)
            {
                result.Append(line[i]);
                visible++;
            }
        }

        return result.ToString();
    }
}
