using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using ProgMp.Cli.Tests.Support;

namespace ProgMp.Cli.Tests;

/// <summary>
/// <c>progmp compare</c> as a researcher runs it: the real process, real runs over emulated paths on
/// loopback, a one-second scenario and one repeat. The runs assert what compare promises (a row per
/// metric, outputs that agree, plots that are PNGs, bounded runs), never how fast anything went.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public class CompareCommandTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    private const string ShortScenario = """
        description a one-second check: two paths, a rate change, three workloads
        duration 1s
        path fast rate 40mbit delay 5ms
        path slow rate 20mbit delay 20ms
        at 0.5s path fast rate 20mbit
        workload bulk
        workload short-flows sizes 1B-50kB gap 20ms
        workload interactive size 100B interval 50ms
        """;

    [Test]
    [NonParallelizable]
    public async Task Compare_writes_a_table_and_json_csv_and_plots_that_agree()
    {
        using var directory = new TemporaryDirectory();
        var scenario = directory.Write("quick.scenario", ShortScenario);
        var json = Path.Combine(directory.Path, "out.json");
        var csv = Path.Combine(directory.Path, "out.csv");
        var plots = Path.Combine(directory.Path, "plots");
        var result = await ProgmpProcess.RunAsync(
            ["compare", "--with", "minRtt,roundRobin", "--scenario", scenario, "--repeats", "1", "--json", json, "--csv", csv, "--plots", plots],
            timeout: RunTimeout);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
        Assert.Multiple(() =>
        {
            Assert.That(result.Output, Does.Contain("quick: a one-second check"), result.ToString);
            Assert.That(result.Output, Does.Match(@"(?m)^  metric +minRtt +roundRobin$"), result.ToString);
            Assert.That(result.Output, Does.Match(@"(?m)^  runs finished +1/1 +1/1$"), result.ToString);
            foreach (var row in new[] { "goodput (Mbit/s)", "FCT p50 (ms)", "FCT p99 (ms)", "app RTT p99 (ms)", "longest stall (ms)", "reorder wait mean (ms)", "wire bytes per byte", "reinjected (B)", "invocations" })
            {
                Assert.That(result.Output, Does.Match($@"(?m)^  {System.Text.RegularExpressions.Regex.Escape(row)} +\d"), row + "\n" + result);
            }

            Assert.That(result.Error, Does.Contain("[1/2] minRtt on quick, repeat 1/1").And.Contain("[2/2] roundRobin on quick, repeat 1/1"), "progress, one line per run when redirected");
            Assert.That(result.Error, Does.Not.Contain("\r"), "no redrawn line in redirected output");
        });

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var results = document.RootElement.GetProperty("results").EnumerateArray().ToList();
        var lines = (await File.ReadAllTextAsync(csv)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.GetProperty("scheduler").GetString()), Is.EqualTo(new[] { "minRtt", "roundRobin" }));
            Assert.That(document.RootElement.GetProperty("runs").GetArrayLength(), Is.EqualTo(2));
            Assert.That(lines, Has.Length.EqualTo(3));
            Assert.That(results[0].GetProperty("metrics").GetProperty("goodput_mbit").GetProperty("median").GetDouble(), Is.GreaterThan(0));
            Assert.That(results[0].GetProperty("metrics").GetProperty("cbr_error_pct").ValueKind, Is.EqualTo(JsonValueKind.Null), "not measured by this scenario");
        });

        // The same numbers in both: every JSON summary equals its three CSV cells, every null an empty cell.
        for (var row = 0; row < results.Count; row++)
        {
            var cells = lines[row + 1].Split(',');
            Assert.That(cells[0..2], Is.EqualTo(new[] { results[row].GetProperty("scheduler").GetString(), "quick" }));
            foreach (var metric in results[row].GetProperty("metrics").EnumerateObject())
            {
                foreach (var part in new[] { "median", "min", "max" })
                {
                    var cell = cells[Array.IndexOf(header, $"{metric.Name}_{part}")];
                    if (metric.Value.ValueKind == JsonValueKind.Null)
                    {
                        Assert.That(cell, Is.Empty, metric.Name);
                    }
                    else
                    {
                        Assert.That(double.Parse(cell, CultureInfo.InvariantCulture), Is.EqualTo(metric.Value.GetProperty(part).GetDouble()), $"{metric.Name}_{part}");
                    }
                }
            }
        }

        foreach (var name in new[] { "quick-goodput.png", "quick-fct-cdf.png", "quick-rtt-cdf.png" })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(plots, name));
            Assert.Multiple(() =>
            {
                Assert.That(bytes.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), name + ": PNG signature");
                Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 12, 4), Is.EqualTo("IHDR"), name + ": the header chunk first");
                Assert.That(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), Is.EqualTo(1400), name + ": width");
                Assert.That(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)), Is.EqualTo(700), name + ": height");
            });
        }
    }

    [Test]
    [NonParallelizable]
    public async Task A_scheduler_that_never_sends_ends_at_the_deadline_and_is_reported_not_hung()
    {
        using var directory = new TemporaryDirectory();
        var idle = directory.Write("idle.progmp", "SCHEDULER idle;\nSET(R1, 1);\n");
        var scenario = directory.Write("one.scenario", "duration 1s\npath a rate 20mbit delay 5ms\nworkload bulk\n");
        var result = await ProgmpProcess.RunAsync(["compare", idle, "--scenario", scenario, "--repeats", "1"], timeout: RunTimeout);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString);
            Assert.That(result.Output, Does.Match(@"(?m)^  metric +idle +minRtt$"), "compared against minRtt by default\n" + result);
            Assert.That(result.Output, Does.Match(@"(?m)^  runs finished +0/1 +1/1$"), result.ToString);
            Assert.That(result.Output, Does.Contain("! idle, repeat 1: did not finish by its deadline"), result.ToString);
            Assert.That(result.Output, Does.Match(@"(?m)^  longest stall \(ms\) +[1-9]\d{3,}"), "the reader waited all along\n" + result);
        });
    }

    [Test]
    [NonParallelizable]
    public async Task A_sized_bulk_transfer_that_ends_after_the_duration_counts_every_byte_in_its_goodput()
    {
        // 2500 kB at 10 Mbit/s takes about 2 s, past the 1 s duration: goodput is all of it over the time it took.
        using var directory = new TemporaryDirectory();
        var scenario = directory.Write("sized.scenario", "duration 1s\npath a rate 10mbit delay 5ms\nworkload bulk size 2500kB\n");
        var json = Path.Combine(directory.Path, "out.json");
        var result = await ProgmpProcess.RunAsync(["compare", "minRtt", "--scenario", scenario, "--repeats", "1", "--json", json], timeout: RunTimeout);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var goodput = document.RootElement.GetProperty("runs")[0].GetProperty("metrics").GetProperty("goodput_mbit").GetDouble();

        // Generous on a loaded machine; the bytes delivered by 1 s over the ~2 s it took would be about half the rate.
        Assert.That(goodput, Is.InRange(6.0, 11.0), result.ToString);
    }

    public static IEnumerable<TestCaseData> WrongArguments()
    {
        TestCaseData Case(string[] arguments, int exit, string expected, string name) => new TestCaseData(arguments, exit, expected).SetName(name);
        yield return Case(["compare", "--with", "minRtt,nosuch", "--scenario", "equal"], 2, "progmp: --with 'nosuch': no scheduler of that name in the library (", "an unknown scheduler names the argument");
        yield return Case(["compare", "nosuch", "--scenario", "equal"], 2, "progmp: 'nosuch': no scheduler of that name", "an unknown positional scheduler");
        yield return Case(["compare", "--with", "minRtt", "--scenario", "nosuch"], 2, "progmp: --scenario 'nosuch': no built-in scenario of that name (see 'progmp compare --list') and no such file.", "an unknown scenario");
        yield return Case(["compare", "--scenario", "equal"], 2, "progmp: name the schedulers to compare", "no scheduler at all");
        yield return Case(["compare", "--with", "minRtt,minRtt"], 2, "progmp: --with 'minRtt': the scheduler minRtt is named twice.", "a scheduler named twice");
        yield return Case(["compare", "--with", "minRtt", "--repeats", "0"], 2, "--repeats must be from 1 to 100.", "no repeats");
        yield return Case(["compare", "--with", "minRtt", "--scale", "1e3"], 2, "--scale '1e3': expected a number from 0.1 to 100.", "a scale in exponent notation");
        yield return Case(["compare", "--with", "minRtt", "--workload", "video"], 2, "progmp: --workload 'video': a workload is one of bulk, short-flows, cbr, interactive, web, not 'video'", "an unknown workload");
        yield return Case(["compare", "--with", "minRtt", "--json", "/nonexistent-dir/x.json"], 2, "--json '/nonexistent-dir/x.json': no directory '/nonexistent-dir'.", "a json file in no directory");
    }

    [TestCaseSource(nameof(WrongArguments))]
    public async Task Wrong_arguments_get_a_one_line_reason_and_exit_code(string[] arguments, int exit, string expected)
    {
        var result = await ProgmpProcess.RunAsync(arguments, timeout: RunTimeout);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(exit), result.ToString);
            Assert.That(result.Error, Does.Contain(expected), result.ToString);
            Assert.That(result.Output + result.Error, Does.Not.Contain("   at ").And.Not.Contain("Exception"), result.ToString);
        });
    }

    [Test]
    public async Task A_scale_that_would_take_a_scenario_past_the_longest_duration_is_refused_and_nothing_runs()
    {
        using var directory = new TemporaryDirectory();
        var scenario = directory.Write("long.scenario", "duration 3000s\npath a rate 10mbit delay 5ms\nworkload bulk\n");
        var result = await ProgmpProcess.RunAsync(["compare", "--with", "minRtt", "--scenario", scenario, "--scale", "2"], timeout: RunTimeout);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString);
            Assert.That(result.Error, Does.Contain("progmp: --scale 2: the scenario 'long' would last 6000s, over the limit of 3600s."), result.ToString);
            Assert.That(result.Output, Is.Empty, result.ToString);
        });
    }

    [Test]
    public async Task A_scenario_file_with_mistakes_gets_each_with_file_and_line_and_nothing_runs()
    {
        using var directory = new TemporaryDirectory();
        var scenario = directory.Write("wifi-lte.scenario", "duration 4s\npath wifi rate 20mbit delay 10ms\npath lte delay 40ms\nat 5s path wifi reset\nworkload bulk\n");
        var result = await ProgmpProcess.RunAsync(["compare", "--with", "minRtt", "--scenario", scenario], timeout: RunTimeout);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString);
            Assert.That(result.Error, Does.Contain($"{scenario}(3): error: path 'lte' has no rate"), result.ToString);
            Assert.That(result.Error, Does.Contain($"{scenario}(4): error: event at 5s is at or after the end of the scenario (duration 4s)"), result.ToString);
            Assert.That(result.Output, Is.Empty, result.ToString);
        });
    }

    [Test]
    public async Task A_program_with_errors_gets_its_diagnostics_and_exit_code_1()
    {
        using var directory = new TemporaryDirectory();
        var program = directory.Write("broken.progmp", "SCHEDULER broken;\nSUBFLOWS.PUSH(;\n");
        var result = await ProgmpProcess.RunAsync(["compare", program, "--scenario", "equal"], timeout: RunTimeout);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString);
            Assert.That(result.Error, Does.Contain("broken.progmp(2,").And.Contain(": error PMP"), result.ToString);
        });
    }

    [Test]
    public async Task List_names_every_built_in_scenario_with_its_description()
    {
        var result = await ProgmpProcess.RunAsync(["compare", "--list"], timeout: RunTimeout);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
            foreach (var name in new[] { "equal", "unequal-delays", "unequal-rates-aligned", "unequal-rates-opposed", "wifi-lte", "three-paths", "four-paths", "handover-make-before-break", "handover-break-before-make", "flapping" })
            {
                Assert.That(result.Output, Does.Match($@"(?m)^{name} +\S"), name + "\n" + result);
            }
        });
    }

    [Test]
    public async Task Help_names_every_option()
    {
        var result = await ProgmpProcess.RunAsync(["compare", "--help"], timeout: RunTimeout);
        foreach (var option in new[] { "<SCHEDULER>", "--with", "--scenario", "--workload", "--repeats", "--scale", "--json", "--csv", "--plots", "--list", "--log-level" })
        {
            Assert.That(result.Output, Does.Contain(option), result.ToString);
        }
    }
}
