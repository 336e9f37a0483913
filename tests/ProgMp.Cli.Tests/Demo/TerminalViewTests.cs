using System.Text.RegularExpressions;
using ProgMp.Cli.Demo;
using ProgMp.Engine;

namespace ProgMp.Cli.Tests.Demo;

/// <summary>
/// The redrawn terminal view, fed made-up samples: each frame goes back over the last one, no line is
/// wider than the terminal (a wrapped line would break the cursor arithmetic), and the cursor comes back.
/// </summary>
public partial class TerminalViewTests
{
    private const int Width = 60;

    [Test]
    public void Each_frame_redraws_the_last_in_place_within_the_terminal_width()
    {
        var plan = DemoPlan.Create(new DemoSettings { Duration = TimeSpan.FromSeconds(4) });
        var recorder = new TransferRecorder(plan.Settings.Paths.Count);
        var probe = new ReceiveProbe(new DemoClock());
        using var output = new StringWriter();
        var view = new TerminalView(output, Width, color: true);
        view.Begin(plan);
        for (var i = 0; i < 4; i++)
        {
            var time = DemoRunner.SampleInterval * i;
            recorder.Record(time, plan.PhaseAt(time), Statistics(sent: 100_000 * i), bytesRead: 150_000 * i, failed: [false, false]);
            var events = i == 2 ? new[] { new DemoEvent(time, Microsoft.Extensions.Logging.LogLevel.Warning, new string('x', 200)) } : [];
            view.Update(new DemoViewState(plan, recorder, i, probe, Draining: false), events);
        }

        view.End();
        var text = output.ToString();
        var frames = Regex.Matches(text, @"\u001b\[(\d+)F");
        var lines = text.Split('\n').Select(l => EscapeSequence().Replace(l, "")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.StartWith("\u001b[?25l"), "hides the cursor");
            Assert.That(text.TrimEnd(), Does.EndWith("\u001b[?25h"), "shows the cursor again");

            // Samples 0 and 2 draw, and End draws the last state once more: two moves back.
            Assert.That(frames, Has.Count.EqualTo(2));
            Assert.That(frames.Select(f => int.Parse(f.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)), Is.All.EqualTo(FrameHeight(lines)), "each move goes back exactly one frame");
            Assert.That(lines.Max(l => l.Length), Is.LessThan(Width));
            Assert.That(lines, Has.Some.StartsWith("wifi"));
            Assert.That(lines, Has.Some.StartsWith("lte"));
        });
    }

    /// <summary>Lines from the first frame's title to the second's.</summary>
    private static int FrameHeight(List<string> lines)
    {
        var starts = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("ProgMp demo", StringComparison.Ordinal)).Select(x => x.i).ToList();
        return starts[1] - starts[0];
    }

    private static SessionStatistics Statistics(long sent) => new()
    {
        Id = "test",
        Subflows =
        [
            new SubflowStatistics { Id = 1, PathId = 0, State = SubflowState.Active, BytesSent = sent, RttMicroseconds = 21_000, CongestionWindow = 30, InFlight = 20, Queued = 3 },
            new SubflowStatistics { Id = 2, PathId = 1, State = SubflowState.Suspected, BytesSent = sent / 2, RttMicroseconds = 85_000, CongestionWindow = 60, InFlight = 50 },
        ],
        Streams = [],
    };

    [GeneratedRegex(@"\u001b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex EscapeSequence();
}
