using System.Text;
using ProgMp.Cli.Tests.Support;

namespace ProgMp.Cli.Tests;

/// <summary>
/// The real <c>progmp</c> process against bad input of every kind: each gets a diagnostic or a
/// one-line reason and the documented exit code, never a stack trace.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public class CommandLineTests
{
    private const string MinimalProgram = "SCHEDULER t;\nSUBFLOWS.MIN(s => s.RTT).PUSH(Q.POP());\n";

    public static IEnumerable<TestCaseData> MalformedPrograms()
    {
        var junk = new byte[4096];
        new Random(11).NextBytes(junk);
        yield return new TestCaseData(Encoding.Latin1.GetString(junk), "PMP0").SetName("binary junk");
        yield return new TestCaseData("SCHEDULER t;\nPRINT(\"never closed);\n", "PMP0003").SetName("an unterminated string");
        yield return new TestCaseData("SCHEDULER t;\n/* never closed\nSET(R1, 1);\n", "PMP0004").SetName("an unterminated comment");
        yield return new TestCaseData("SCHEDULER t;\nSET(R1, " + new string('(', 100_000) + "1" + new string(')', 100_000) + ");\n", "PMP0007").SetName("a hundred thousand nested parentheses");
        yield return new TestCaseData("SCHEDULER t;\n" + string.Concat(Enumerable.Repeat("IF (TRUE) {\n", 10_000)) + "SET(R1, 1);\n" + new string('}', 10_000) + "\n", "PMP0007").SetName("ten thousand nested IF blocks");
        yield return new TestCaseData("SCHEDULER t;\nSET(R1, " + string.Join(" + ", Enumerable.Repeat("R2 * 3", 20_000)) + ";\n", "PMP0001").SetName("twenty thousand terms with a syntax error");
        yield return new TestCaseData("", "PMP0008").SetName("an empty file");
    }

    [TestCaseSource(nameof(MalformedPrograms))]
    public async Task A_malformed_program_gets_diagnostics_and_exit_code_1(string program, string expectedCode)
    {
        using var directory = new TemporaryDirectory();
        var result = await ProgmpProcess.RunAsync(["check", directory.Write("bad.progmp", program)]);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString);
            Assert.That(result.Output, Does.Contain(": error " + expectedCode), result.ToString);
            Assert.That(result.Output + result.Error, Does.Not.Contain("   at ").And.Not.Contain("Exception"), result.ToString);
        });
    }

    [Test]
    public async Task Check_accepts_an_expression_of_twenty_thousand_terms()
    {
        using var directory = new TemporaryDirectory();
        var program = directory.Write("long.progmp", "SCHEDULER t;\nSET(R1, " + string.Join(" + ", Enumerable.Repeat("1", 20_000)) + ");\n");
        var result = await ProgmpProcess.RunAsync(["check", program]);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
            Assert.That(result.Output, Is.Empty, result.ToString);
            Assert.That(result.Error.Trim(), Is.EqualTo("1 file checked: 0 errors, 0 warnings."), result.ToString);
        });
    }

    [Test]
    public async Task An_expression_of_twenty_thousand_terms_compiles_and_runs()
    {
        using var directory = new TemporaryDirectory();
        var program = directory.Write("long.progmp", "SCHEDULER t;\nSET(R1, " + string.Join(" + ", Enumerable.Repeat("R2 * 3", 20_000)) + ");\n");
        var state = directory.Write("state.json", "{\"registers\": [0, 1, 0, 0, 0, 0]}");
        var result = await ProgmpProcess.RunAsync(["eval", program, "--state", state]);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
            Assert.That(result.Output, Does.Contain("\"value\": 60000"), result.ToString);
        });
    }

    [TestCase("{\"subflows\": [{\"rtt\": 5}]}", "state.subflows[0]: missing \"id\"")]
    [TestCase("{not json", "not valid JSON")]
    [TestCase("", "state: not valid JSON (line 1, position 1)")]
    [TestCase("{\"extra\": true}", "unknown key \"extra\"")]
    [TestCase("[1, 2]", "state: expected an object, not an array")]
    [TestCase("null", "state: expected an object, not null")]
    [TestCase("{\"timeMs\": \"soon\"}", "state.timeMs: expected an integer, not a string")]
    [TestCase("{\"timeMs\": 1e400}", "state.timeMs: 1e400 is not a 64-bit integer")]
    [TestCase("{\"subflows\": {\"id\": 1}}", "state.subflows: expected an array, not an object")]
    [TestCase("{\"subflows\": [{\"id\": 1, \"backup\": 1}]}", "state.subflows[0].backup: expected true or false, not the number 1")]
    [TestCase("{\"subflows\": [{\"id\": 1, \"id\": 2}]}", "state.subflows[0]: key \"id\" appears twice")]
    [TestCase("{\"q\": [{\"seq\": true}]}", "state.q[0].seq: expected an integer, not true")]
    [TestCase("{\"registers\": [1, 2, 3, 4, 5, \"6\"]}", "state.registers[5]: expected an integer, not a string")]
    [TestCase("{\"random\": [-1]}", "state.random[0]: must not be negative")]
    [TestCase("{\"\\u001b[2J\": 1}", "state: unknown key \"\\u001B[2J\"")]
    public async Task A_malformed_state_gets_a_one_line_reason_and_exit_code_2(string state, string expected)
    {
        using var directory = new TemporaryDirectory();
        var result = await ProgmpProcess.RunAsync(["eval", directory.Write("p.progmp", MinimalProgram), "--state", directory.Write("s.json", state)]);
        AssertOneLineStateError(result, expected);
    }

    [Test]
    public async Task A_state_of_binary_junk_gets_a_one_line_reason_and_exit_code_2()
    {
        using var directory = new TemporaryDirectory();
        var junk = new byte[4096];
        new Random(12).NextBytes(junk);
        junk[0] = (byte)'t'; // a literal that goes wrong at once, quoting what follows in the parser's message
        var state = Path.Combine(directory.Path, "s.json");
        await File.WriteAllBytesAsync(state, junk);
        var result = await ProgmpProcess.RunAsync(["eval", directory.Write("p.progmp", MinimalProgram), "--state", state]);
        AssertOneLineStateError(result, "state: not valid JSON (line 1, ");
    }

    [Test]
    public async Task A_state_nested_a_hundred_thousand_deep_gets_a_one_line_reason_and_exit_code_2()
    {
        using var directory = new TemporaryDirectory();
        var state = directory.Write("s.json", new string('[', 100_000) + new string(']', 100_000));
        var result = await ProgmpProcess.RunAsync(["eval", directory.Write("p.progmp", MinimalProgram), "--state", state]);
        AssertOneLineStateError(result, "maximum configured depth");
    }

    private static void AssertOneLineStateError(ProcessResult result, string expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString);
            Assert.That(result.Error, Does.Contain(expected), result.ToString);
            Assert.That(result.Error.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), result.ToString);
            Assert.That(result.Error.TrimEnd('\n').Any(char.IsControl), Is.False, "no control characters from the file");
            Assert.That(result.Error.Length, Is.LessThan(400), result.ToString);
            Assert.That(result.Output, Is.Empty);
        });
    }

    [Test]
    public async Task A_program_with_errors_exits_1_whatever_the_state()
    {
        using var directory = new TemporaryDirectory();
        var result = await ProgmpProcess.RunAsync(["eval", directory.Write("p.progmp", "SCHEDULER t;\nSET(R9, 1);\n"), "--state", "/no/such/state.json"]);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString);
            Assert.That(result.Error, Does.Contain("error PMP0101"), result.ToString);
        });
    }

    [Test]
    public async Task Eval_reads_the_state_from_standard_input()
    {
        using var directory = new TemporaryDirectory();
        var result = await ProgmpProcess.RunAsync(
            ["eval", directory.Write("p.progmp", MinimalProgram), "--state", "-"],
            standardInput: "{\"subflows\": [{\"id\": 3}], \"q\": [{\"seq\": 7}]}");
        Assert.That(result.Output, Does.Contain("\"op\": \"push\"").And.Contain("\"subflow\": 3"), result.ToString);
    }

    [TestCase(new[] { "chek", "x.progmp" }, "Unrecognized command or argument 'chek'")]
    [TestCase(new[] { "eval", "x.progmp" }, "--state")]
    [TestCase(new[] { "check" }, "Required argument missing")]
    [TestCase(new[] { "check", "/no/such/file.progmp" }, "cannot read '/no/such/file.progmp': no such file")]
    [TestCase(new[] { "check", "/" }, "'/' is a directory")]
    public async Task A_wrong_argument_gets_a_reason_and_exit_code_2(string[] arguments, string expected)
    {
        var result = await ProgmpProcess.RunAsync(arguments);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString);
            Assert.That(result.Error, Does.Contain(expected), result.ToString);
        });
    }

    [TestCase(new[] { "frobnicate" }, "frobnicate")]
    [TestCase(new[] { "ctl", "http://127.0.0.1:1", "reboot", "--token-file", "t" }, "reboot")]
    public async Task An_unknown_verb_is_named_without_also_claiming_that_no_verb_was_given(string[] arguments, string verb)
    {
        var result = await ProgmpProcess.RunAsync(arguments);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString);
            Assert.That(result.Error, Does.Contain($"Unrecognized command or argument '{verb}'"), result.ToString);
            Assert.That(result.Error, Does.Not.Contain("Required command was not provided"), result.ToString);
        });
    }

    [TestCase(new[] { "chek" }, "Run 'progmp --help' for usage.")]
    [TestCase(new[] { "check" }, "Run 'progmp check --help' for usage.")]
    [TestCase(new[] { "proxy", "remote" }, "Run 'progmp proxy remote --help' for usage.")]
    [TestCase(new[] { "ctl", "http://127.0.0.1:9", "path", "remove", "--token-file", "t" }, "Run 'progmp ctl path remove --help' for usage.")]
    public async Task A_usage_error_points_to_the_help_of_the_full_verb(string[] arguments, string expected)
    {
        var result = await ProgmpProcess.RunAsync(arguments);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString);
            Assert.That(result.Error.TrimEnd().Split('\n')[^1], Is.EqualTo(expected), result.ToString);
        });
    }

    [Test]
    public async Task Check_reports_warnings_and_still_exits_0()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Write("w.progmp", "SCHEDULER t;\nVAR unused = 1;\n");
        var result = await ProgmpProcess.RunAsync(["check", file]);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
            Assert.That(result.Output.Trim(), Is.EqualTo($"{file}(2,5): warning PMP1001: 'unused' is never used"));
        });
    }

    [Test]
    public async Task Help_lists_the_verbs()
    {
        var result = await ProgmpProcess.RunAsync(["--help"]);
        Assert.That(result.Output, Does.Contain("check").And.Contain("eval"), result.ToString);
    }

    [Test]
    public async Task Demo_decisions_runs_every_built_in_scheduler_on_its_scenario()
    {
        var result = await ProgmpProcess.RunAsync(["demo", "--decisions"]);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
            Assert.That(result.Output, Does.Contain("minRtt                           push 2800 on wifi"), result.ToString);
            Assert.That(result.Output, Does.Contain("redundant                        push 2800 on wifi, push 0 on lte"), result.ToString);
            Assert.That(result.Output, Does.Contain("minRttFullyRedundantRetransmit   push 1400 on lte"), result.ToString);
            Assert.That(result.Output, Does.Contain("roundRobin"), result.ToString);
        });
    }
}
