using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using ProgMp.Cli.Tests.Support;

namespace ProgMp.Cli.Tests;

/// <summary>
/// <c>progmp demo</c> as a person runs it: the real process, a real transfer over emulated paths on
/// loopback, short durations. The runs assert what the demo promises (every phase, bytes on every
/// path, the integrity check), never how fast anything went.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public partial class DemoCommandTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    [Test]
    [NonParallelizable]
    public async Task Demo_runs_every_phase_and_verifies_what_the_reader_got()
    {
        var result = await ProgmpProcess.RunAsync(["demo", "--duration", "4"], timeout: RunTimeout);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
            Assert.That(result.Output, Does.Contain("integrity: verified (SHA-256 "), result.ToString);
            Assert.That(result.Output, Does.Contain("* phase 2/4: live swap: stream.SetScheduler(\"redundant\")"), result.ToString);
            Assert.That(result.Output, Does.Contain("* wifi: the emulator fails the path (reset)"), result.ToString);
            foreach (var phase in new[] { "1 minRtt", "2 swap to redundant", "3 wifi reset", "4 wifi restored" })
            {
                Assert.That(result.Output, Does.Match($@"(?m)^  {Regex.Escape(phase)} +\d"), result.ToString);
            }

            Assert.That(PayloadSent(result.Output, "wifi"), Is.GreaterThan(0), result.ToString);
            Assert.That(PayloadSent(result.Output, "lte"), Is.GreaterThan(0), result.ToString);
            Assert.That(result.Output, Does.Contain("time to fail over"), result.ToString);
        });
    }

    [Test]
    [NonParallelizable]
    public async Task Demo_plot_writes_a_png_of_the_run()
    {
        using var directory = new TemporaryDirectory();
        var png = Path.Combine(directory.Path, "demo.png");
        var result = await ProgmpProcess.RunAsync(["demo", "--duration", "3", "--no-failure", "--plot", png], timeout: RunTimeout);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Multiple(() =>
        {
            Assert.That(bytes.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
            Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 12, 4), Is.EqualTo("IHDR"));
            Assert.That(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), Is.EqualTo(1400), "width");
            Assert.That(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)), Is.EqualTo(700), "height");

            // A chart with axes, text and lines compresses to tens of kilobytes; a blank image to a few.
            Assert.That(bytes, Has.Length.InRange(20_000, 5_000_000));
            Assert.That(result.Output, Does.Contain("plot: " + png), result.ToString);
        });
    }

    [Test]
    [NonParallelizable]
    public async Task Demo_runs_paths_and_a_scheduler_given_on_the_command_line()
    {
        using var directory = new TemporaryDirectory();
        var program = directory.Write("spread.progmp", """
            /* Every packet on the subflow with the fewest packets in flight and queued. */
            SCHEDULER spread;
            VAR open = SUBFLOWS.FILTER(s => s.CWND > s.SKBS_IN_FLIGHT + s.QUEUED AND !s.THROTTLED);
            IF (!RQ.EMPTY) {
              open.FILTER(s => !RQ.TOP.SENT_ON(s)).MIN(s => s.SKBS_IN_FLIGHT + s.QUEUED).PUSH(RQ.POP());
              RETURN;
            }
            IF (!Q.EMPTY) {
              open.FILTER(s => s.HAS_WINDOW_FOR(Q.TOP)).MIN(s => s.SKBS_IN_FLIGHT + s.QUEUED).PUSH(Q.POP());
            }
            """);
        var result = await ProgmpProcess.RunAsync(
            ["demo", "--duration", "3", "--no-failure", "--scheduler", program, "--start", "spread", "--swap", "roundRobin",
             "--path", "a:15:5", "--path", "b:10:15", "--path", "c:5:30", "--packet-size", "4000"],
            timeout: RunTimeout);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
            Assert.That(result.Output, Does.Contain("integrity: verified"), result.ToString);
            Assert.That(result.Output, Does.Match(@"(?m)^  1 spread +[\d.]+-[\d.]+ s +spread "), result.ToString);
            Assert.That(result.Output, Does.Match(@"(?m)^  2 swap to roundRobin +[\d.]+-[\d.]+ s +roundRobin "), result.ToString);
            Assert.That(result.Output, Does.Match(@"(?m)^  3 back to spread "), result.ToString);
            Assert.That(result.Output, Does.Contain("packets of 4000 B"), result.ToString);
            foreach (var path in new[] { "a", "b", "c" })
            {
                Assert.That(PayloadSent(result.Output, path), Is.GreaterThan(0), result.ToString);
            }
        });
    }

    [TestCase(new[] { "--duration", "0" }, "--duration must be from 2 to 3600 seconds.")]
    [TestCase(new[] { "--duration", "soon" }, "'soon'")]
    [TestCase(new[] { "--path", "wifi" }, "--path 'wifi': expected NAME:MBIT:DELAYMS")]
    [TestCase(new[] { "--path", "wifi:fast:10" }, "the rate must be a number of Mbit/s")]
    [TestCase(new[] { "--path", "wifi:20:-1" }, "the one-way delay must be")]
    [TestCase(new[] { "--path", "a:1:1", "--path", "a:2:2" }, "the name 'a' is given twice")]
    [TestCase(new[] { "--path", "a:1:1", "--path", "b:1:1", "--path", "c:1:1", "--path", "d:1:1", "--path", "e:1:1", "--path", "f:1:1", "--path", "g:1:1", "--path", "h:1:1", "--path", "i:1:1" }, "at most 8 paths, not 9")]
    [TestCase(new[] { "--packet-size", "0" }, "--packet-size must be from 1 to 65536 bytes.")]
    [TestCase(new[] { "--packet-size", "big" }, "'big'")]
    [TestCase(new[] { "--start", "noSuchScheduler" }, "--start 'noSuchScheduler': no scheduler of that name is loaded (loaded: blest, ")]
    [TestCase(new[] { "--scheduler", "/no/such/file.progmp" }, "cannot read '/no/such/file.progmp': no such file")]
    [TestCase(new[] { "--plot", "/no/such/directory/demo.png" }, "no directory '/no/such/directory'")]
    [TestCase(new[] { "--decisions", "--duration", "3" }, "--decisions takes no other option.")]
    [TestCase(new[] { "--speed", "3" }, "Unrecognized command or argument '--speed'")]
    public async Task Demo_with_a_wrong_argument_exits_2_with_a_reason(string[] arguments, string expected)
    {
        var result = await ProgmpProcess.RunAsync(["demo", .. arguments]);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString);
            Assert.That(result.Error, Does.Contain(expected), result.ToString);
            Assert.That(result.Output, Is.Empty, result.ToString);
        });
    }

    [Test]
    public async Task Demo_with_a_scheduler_that_does_not_compile_exits_1_with_its_diagnostics()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Write("broken.progmp", "SCHEDULER broken;\nSET(R9, 1);\n");
        var result = await ProgmpProcess.RunAsync(["demo", "--scheduler", file, "--start", "broken"]);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString);
            Assert.That(result.Error, Does.Contain("broken.progmp(2,").And.Contain("error PMP0101"), result.ToString);
            Assert.That(result.Output, Is.Empty, result.ToString);
        });
    }

    /// <summary>The "payload sent" column of a path's row in the summary, in bytes.</summary>
    private static double PayloadSent(string output, string path)
    {
        var row = PathRow().Matches(output).FirstOrDefault(m => m.Groups["name"].Value == path);
        if (row is null)
        {
            return -1;
        }

        var value = double.Parse(row.Groups["value"].Value, CultureInfo.InvariantCulture);
        return row.Groups["unit"].Value switch
        {
            "kB" => value * 1e3,
            "MB" => value * 1e6,
            "GB" => value * 1e9,
            _ => value,
        };
    }

    [GeneratedRegex(@"(?m)^  (?<name>\S+) +[\d.]+ Mbit/s [\d.]+ ms +(?<value>[\d.]+) (?<unit>B|kB|MB|GB) ")]
    private static partial Regex PathRow();
}
