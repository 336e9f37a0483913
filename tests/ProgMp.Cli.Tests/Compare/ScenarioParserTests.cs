using ProgMp.Cli.Compare;
using ProgMp.Cli.Tests.Support;

namespace ProgMp.Cli.Tests.Compare;

/// <summary>
/// The scenario format: a file that uses every keyword reads as written, and every kind of mistake
/// gets its one-line reason with the file and the line it is on.
/// </summary>
public class ScenarioParserTests
{
    private const string Valid = """
        # a comment line
        name lab-1
        description two paths and a handover   # trailing comment
        duration 4s
        path wifi rate 20mbit delay 10ms delay-in 15ms queue 64KiB
        path lte rate-out 5mbit rate-in 10mbit delay 40ms backup later
        at 1.5s path lte add
        at 2s path wifi rate 5mbit delay 80ms
        at 2500ms path wifi reset
        at 3s path wifi restore
        at 3.5s path wifi remove
        register R1 2500000
        receive-window 128KiB
        register R6 -1
        workload bulk size 2MB
        workload short-flows sizes 1B-200kB gap 50ms
        workload cbr rate 4mbit interval 40ms
        workload interactive size 100B interval 100ms
        workload web objects 10 sizes 1kB-50kB gap 300ms
        """;

    [Test]
    public void A_file_with_every_keyword_reads_as_written()
    {
        var diagnostics = ScenarioParser.Parse(Valid, "lab.scenario", out var scenario);
        Assert.That(diagnostics, Is.Empty);
        Assert.That(scenario, Is.Not.Null);
        var wifi = scenario!.Paths[0];
        var lte = scenario.Paths[1];
        Assert.Multiple(() =>
        {
            Assert.That(scenario.Name, Is.EqualTo("lab-1"));
            Assert.That(scenario.Description, Is.EqualTo("two paths and a handover"));
            Assert.That(scenario.Duration, Is.EqualTo(TimeSpan.FromSeconds(4)));
            Assert.That(wifi.Out, Is.EqualTo(new LinkSettings(20, TimeSpan.FromMilliseconds(10), 65536)));
            Assert.That(wifi.In, Is.EqualTo(new LinkSettings(20, TimeSpan.FromMilliseconds(15), 65536)));
            Assert.That((wifi.Backup, wifi.Later, lte.Backup, lte.Later), Is.EqualTo((false, false, true, true)));
            Assert.That((lte.Out.RateMbitPerSecond, lte.In.RateMbitPerSecond), Is.EqualTo((5.0, 10.0)));
            Assert.That(scenario.Events.Select(e => (e.At.TotalMilliseconds, e.Kind)), Is.EqualTo(new[]
            {
                (1500.0, ScenarioEventKind.Add), (2000.0, ScenarioEventKind.Change), (2500.0, ScenarioEventKind.Reset),
                (3000.0, ScenarioEventKind.Restore), (3500.0, ScenarioEventKind.Remove),
            }));
            Assert.That(scenario.Events[1], Has.Property(nameof(ScenarioEvent.RateOut)).EqualTo(5.0).And.Property(nameof(ScenarioEvent.DelayIn)).EqualTo(TimeSpan.FromMilliseconds(80)));
            Assert.That(scenario.Events[1].Label, Is.EqualTo("wifi rate 5mbit delay 80ms"));
            Assert.That(scenario.Workloads.Select(w => w.Kind), Is.EqualTo(new[] { WorkloadKind.Bulk, WorkloadKind.ShortFlows, WorkloadKind.ConstantBitRate, WorkloadKind.Interactive, WorkloadKind.Web }));
            Assert.That(scenario.Workloads[0].Bytes, Is.EqualTo(2_000_000));
            Assert.That((scenario.Workloads[1].MinBytes, scenario.Workloads[1].MaxBytes, scenario.Workloads[1].Gap), Is.EqualTo((1L, 200_000L, TimeSpan.FromMilliseconds(50))));
            Assert.That(scenario.Workloads[2].RateMbitPerSecond, Is.EqualTo(4));
            Assert.That(scenario.Workloads[3].MessageBytes, Is.EqualTo(100));
            Assert.That(scenario.Workloads[4].Objects, Is.EqualTo(10));
            Assert.That(scenario.ReceiveWindow, Is.EqualTo(128 * 1024));
            Assert.That(scenario.Registers, Is.EqualTo(new[] { KeyValuePair.Create(1, 2_500_000L), KeyValuePair.Create(6, -1L) }));
        });
    }

    [Test]
    public void Events_are_ordered_by_time_and_the_name_defaults_to_the_file_name()
    {
        var text = "duration 2s\npath a rate 1mbit\nat 1s path a reset\nat 0.5s path a rate 2mbit\nat 1.5s path a restore\nworkload bulk\n";
        ScenarioParser.Parse(text, "dir/my-lab.scenario", out var scenario);
        Assert.That(scenario, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(scenario!.Name, Is.EqualTo("my-lab"));
            Assert.That(scenario.Source, Is.EqualTo("my-lab.scenario"));
            Assert.That(scenario.Events.Select(e => e.Kind), Is.EqualTo(new[] { ScenarioEventKind.Change, ScenarioEventKind.Reset, ScenarioEventKind.Restore }));
        });
    }

    [Test]
    public void Scaling_stretches_the_duration_event_times_and_bulk_sizes_but_not_the_network()
    {
        ScenarioParser.Parse("duration 2s\npath a rate 1mbit delay 10ms\nat 1s path a reset\nworkload bulk size 1MB\nworkload interactive interval 100ms\n", "s.scenario", out var scenario);
        var scaled = scenario!.Scale(2.5);
        Assert.Multiple(() =>
        {
            Assert.That(scaled.Duration, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(scaled.Events[0].At, Is.EqualTo(TimeSpan.FromSeconds(2.5)));
            Assert.That(scaled.Workloads[0].Bytes, Is.EqualTo(2_500_000));
            Assert.That(scaled.Workloads[1].Interval, Is.EqualTo(TimeSpan.FromMilliseconds(100)));
            Assert.That(scaled.Paths, Is.EqualTo(scenario.Paths));
        });
    }

    private const string Head = "duration 4s\npath wifi rate 20mbit delay 10ms\n";

    public static IEnumerable<TestCaseData> Mistakes()
    {
        TestCaseData Case(string text, string expected, string name) => new TestCaseData(text, expected).SetName(name);
        yield return Case("duration 4s\npath wifi rate 20mbit delay 10ms\npath lte delay 40ms\nworkload bulk\n", "t.scenario(3): error: path 'lte' has no rate", "a path with no rate");
        yield return Case(Head + "path lte rate-in 5mbit\nworkload bulk\n", "t.scenario(3): error: path 'lte' has no rate for the out direction (give 'rate' for both, or 'rate-out')", "a path with a rate one way only");
        yield return Case(Head + "at 5s path wifi reset\nworkload bulk\n", "t.scenario(3): error: event at 5s is at or after the end of the scenario (duration 4s)", "an event after the end");
        yield return Case(Head + "at 4s path wifi reset\nworkload bulk\n", "t.scenario(3): error: event at 4s is at or after the end of the scenario (duration 4s)", "an event at the end");
        yield return Case(Head + "at 1s path wlan reset\nworkload bulk\n", "t.scenario(3): error: event on unknown path 'wlan' (paths: wifi)", "an event on an unknown path");
        yield return Case("duration 4s\npath wifi rate 20Mbps\nworkload bulk\n", "t.scenario(2): error: '20Mbps' is not a rate: expected a number followed by kbit, mbit or gbit per second (e.g. 20mbit)", "a rate in a unit not accepted");
        yield return Case("duration 4s\npath wifi rate 20mbit delay 10\nworkload bulk\n", "t.scenario(2): error: '10' is not a time: expected a number followed by ms or s (e.g. 40ms, 2.5s)", "a delay without a unit");
        yield return Case("duration 4,5s\npath wifi rate 20mbit\nworkload bulk\n", "t.scenario(1): error: '4,5s' is not a time: expected a number followed by ms or s (e.g. 40ms, 2.5s)", "a decimal comma");
        yield return Case("duration 4s\npath wifi rate 20mbit queue 64kib\nworkload bulk\n", "t.scenario(2): error: '64kib' is not a size: expected a whole number of bytes written with B, kB, KiB, MB, MiB, GB or GiB (e.g. 64KiB, 200kB)", "a size unit in the wrong case");
        yield return Case("duration 4s\npath wifi rate -1mbit\nworkload bulk\n", "t.scenario(2): error: '-1mbit' is not a rate: expected a number followed by kbit, mbit or gbit per second (e.g. 20mbit)", "a negative rate");
        yield return Case("duration 4s\npath wifi rate 0mbit\nworkload bulk\n", "t.scenario(2): error: a rate above 0 and at most 10 gbit, not 0mbit", "a zero rate");
        yield return Case(Head + "path wifi rate 10mbit\nworkload bulk\n", "t.scenario(3): error: path 'wifi' is declared twice (first at line 2)", "a path declared twice");
        yield return Case(Head + "duration 5s\nworkload bulk\n", "t.scenario(3): error: 'duration' is given twice (first at line 1)", "a duration given twice");
        yield return Case("duration 4s\npath wifi rate 20mbit rate 10mbit\nworkload bulk\n", "t.scenario(2): error: path 'wifi': 'rate' is given twice", "a setting given twice on one line");
        yield return Case("duration 4s\npath wifi rate 20mbit speed 3\nworkload bulk\n", "t.scenario(2): error: path 'wifi': unknown setting 'speed' (expected rate, rate-in, rate-out, delay, delay-in, delay-out or queue, or backup or later)", "an unknown path setting");
        yield return Case(Head + "receive-window 1KiB\nworkload bulk\n", "t.scenario(3): error: a receive window from 16384 B to 67108864 B, not 1KiB", "a receive window too small");
        yield return Case(Head + "register R7 1\nworkload bulk\n", "t.scenario(3): error: 'R7' is not a register: R1 to R6", "a register that does not exist");
        yield return Case(Head + "register R1 2.5\nworkload bulk\n", "t.scenario(3): error: '2.5' is not a whole number (a register holds a 64-bit integer)", "a register value that is not a whole number");
        yield return Case(Head + "register R1 1\nregister R1 2\nworkload bulk\n", "t.scenario(4): error: register R1 is set twice (first at line 3)", "a register set twice");
        yield return Case(Head + "bandwidth 3\nworkload bulk\n", "t.scenario(3): error: unknown keyword 'bandwidth' (expected name, description, duration, path, at, register, receive-window or workload)", "an unknown keyword");
        yield return Case("path wifi rate 20mbit\nworkload bulk\n", "t.scenario(1): error: no 'duration' line: say how long the scenario runs, e.g. 'duration 4s'", "no duration");
        yield return Case("duration 4s\nworkload bulk\n", "t.scenario(1): error: no 'path' line: a scenario needs at least one path", "no path");
        yield return Case(Head, "t.scenario(1): error: no 'workload' line: say what the application does, e.g. 'workload bulk'", "no workload");
        yield return Case(Head + "workload video\n", "t.scenario(3): error: a workload is one of bulk, short-flows, cbr, interactive, web, not 'video'", "an unknown workload");
        yield return Case(Head + "workload cbr\n", "t.scenario(3): error: workload cbr: needs a rate, e.g. 'workload cbr rate 4mbit'", "a constant bit rate without a rate");
        yield return Case(Head + "workload short-flows sizes 200kB-1B\n", "t.scenario(3): error: '200kB-1B' is not a size range: expected MIN-MAX with MIN at most MAX, each written with B, kB, KiB, MB, MiB, GB or GiB (e.g. 1B-200kB)", "a size range upside down");
        yield return Case(Head + "workload bulk gap 1s\n", "t.scenario(3): error: workload bulk: unknown setting 'gap' (expected size)", "a setting of another workload");
        yield return Case(Head + "workload web objects 0\n", "t.scenario(3): error: workload web: 'objects' is a whole number from 1 to 100, not '0'", "a page of no objects");
        yield return Case(Head + "at 1s path wifi add\nworkload bulk\n", "t.scenario(3): error: path 'wifi' is there from the start and cannot be added: declare it with 'later'", "adding a path that is already there");
        yield return Case(Head + "at 1s path wifi remove\nat 2s path wifi remove\nworkload bulk\n", "t.scenario(4): error: path 'wifi' is not in the session at 2s, so it cannot be removed", "removing a path twice");
        yield return Case(Head + "at 1s path wifi restore\nworkload bulk\n", "t.scenario(3): error: path 'wifi' is not reset or blackholed at 1s, so there is nothing to restore", "restoring a working path");
        yield return Case(Head + "at 1s path wifi reset now\nworkload bulk\n", "t.scenario(3): error: 'reset' takes nothing after it, found 'now'", "words after a reset");
        yield return Case(Head + "at 1s wifi reset\nworkload bulk\n", "t.scenario(3): error: an event reads 'at TIME path NAME WHAT', e.g. 'at 2s path wifi reset' or 'at 2s path wifi rate 5mbit'", "an event without 'path'");
        yield return Case("duration 4s\npath wifi rate 20mbit later\nworkload bulk\n", "t.scenario(1): error: every path is declared 'later': at least one must be there from the start", "no path at the start");
        yield return Case("duration 3601s\npath wifi rate 20mbit\nworkload bulk\n", "t.scenario(1): error: the duration must be above 0 and at most 3600s", "a duration too long");
        yield return Case("duration 4s\npath wifi rate 20mbit delay 11s\nworkload bulk\n", "t.scenario(2): error: path 'wifi': a delay of at most 10s, not 11s", "a delay too long");
        yield return Case("duration 4s\npath wi/fi rate 20mbit\nworkload bulk\n", "t.scenario(2): error: 'path' takes a name of 1 to 40 letters, digits, '-', '_' or '.', then its settings, e.g. 'path wifi rate 20mbit delay 10ms'", "a path name with a slash");
    }

    [TestCaseSource(nameof(Mistakes))]
    public void A_mistake_gets_a_one_line_reason_with_file_and_line(string text, string expected)
    {
        var diagnostics = ScenarioParser.Parse(text, "t.scenario", out var scenario);
        Assert.Multiple(() =>
        {
            Assert.That(scenario, Is.Null);
            Assert.That(diagnostics.Select(d => d.ToString()), Is.EqualTo(new[] { expected }));
        });
    }

    [Test]
    public void Every_mistake_of_a_file_is_reported_at_once()
    {
        var diagnostics = ScenarioParser.Parse("duration 4\npath a\nat 9s path b reset\nworkload bulk\n", "t.scenario", out _);
        Assert.That(diagnostics.Select(d => d.Line), Is.EqualTo(new[] { 1, 2, 3 }), string.Join("\n", diagnostics));
    }

    [Test]
    public void A_workload_given_on_the_command_line_reads_as_in_a_file()
    {
        var problems = ScenarioParser.ParseWorkload("short-flows sizes 1B-10kB gap 10ms", "--workload", out var workload);
        var bad = ScenarioParser.ParseWorkload("short-flows sizes 10", "--workload", out var none);
        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty);
            Assert.That((workload!.Kind, workload.MaxBytes, workload.Gap), Is.EqualTo((WorkloadKind.ShortFlows, 10_000L, TimeSpan.FromMilliseconds(10))));
            Assert.That(none, Is.Null);
            Assert.That(bad.Single().ToString(), Does.StartWith("--workload(1): error: '10' is not a size range"));
        });
    }

    [Test]
    public void Every_built_in_scenario_is_valid_and_described()
    {
        var all = BuiltInScenarios.All();
        Assert.That(all.Select(s => s.File), Is.SupersetOf(new[]
        {
            "equal.scenario", "unequal-delays.scenario", "unequal-rates-aligned.scenario", "unequal-rates-opposed.scenario", "wifi-lte.scenario",
            "three-paths.scenario", "four-paths.scenario", "handover-make-before-break.scenario", "handover-break-before-make.scenario", "flapping.scenario",
        }));
        foreach (var (file, text) in all)
        {
            var diagnostics = ScenarioParser.Parse(text, file, out var scenario);
            Assert.That(diagnostics, Is.Empty, file + ": " + string.Join("\n", diagnostics));
            Assert.That(scenario!.Description, Is.Not.Empty, file);
            Assert.That(scenario.Duration, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(5)), file + " stays short by default");
        }
    }

    [Test]
    public void The_scenario_in_the_documentation_is_valid_and_the_built_in_it_names()
    {
        var markdown = File.ReadAllText(Path.Combine(SchedulerLibraryTests.RepositoryRoot(), "docs", "compare.md"));
        var fences = MarkdownFences.Read(markdown).Where(f => f.Language == "scenario").ToList();
        Assert.That(fences, Is.Not.Empty);
        foreach (var fence in fences)
        {
            Assert.That(ScenarioParser.Parse(fence.Text, fence.Name ?? "doc.scenario", out _), Is.Empty, $"docs/compare.md, line {fence.StartLine}");
            if (BuiltInScenarios.All().FirstOrDefault(b => b.File == fence.Name) is { File: not null } builtIn)
            {
                Assert.That(fence.Text, Is.EqualTo(builtIn.Text.Replace("\r\n", "\n", StringComparison.Ordinal)), $"docs/compare.md, line {fence.StartLine}, shows {fence.Name} as it is");
            }
        }
    }
}
