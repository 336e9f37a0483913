using System.Text.Json;
using ProgMp.Cli.Tests.Support;

namespace ProgMp.Cli.Tests;

/// <summary>
/// <c>progmp eval --explain</c> and <c>--json</c> as a user runs them: where the explanation goes, that
/// the JSON result is the same with and without them, and that the plain JSON output is unchanged.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public class EvalExplainTests
{
    private const string Program = "SCHEDULER t;\nVAR best = SUBFLOWS.MIN(s => s.RTT);\nbest.PUSH(Q.POP());\n";
    private const string State = """{ "subflows": [ { "id": 1, "rtt": 30000 }, { "id": 2, "rtt": 10000 } ], "q": [ { "seq": 100 } ] }""";

    [Test]
    public async Task Without_explain_the_output_is_the_json_result_alone()
    {
        var (exitCode, output) = await RunAsync();
        Assert.That(exitCode, Is.EqualTo(0), output);
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("actions")[0].GetProperty("subflow").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task With_explain_the_output_is_the_explanation_alone()
    {
        var (exitCode, output) = await RunAsync("--explain");
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(0), output);
            Assert.That(output, Does.StartWith("scheduler t (p.progmp), one invocation at CURRENT_TIME_MS 0\n"));
            Assert.That(output, Does.Contain("\n       subflow 2: 10000, the least\n"));
            Assert.That(output, Does.Contain("\n     pushed packet 100 on subflow 2\n"));
            Assert.That(output, Does.Not.Contain("{"));
        });
    }

    [Test]
    public async Task With_explain_and_json_the_json_result_follows_the_explanation_unchanged()
    {
        var (_, plain) = await RunAsync();
        var (_, explained) = await RunAsync("--explain");
        var (exitCode, both) = await RunAsync("--explain", "--json");
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(0), both);
            Assert.That(both, Is.EqualTo(explained + "\n" + plain));
        });
    }

    [Test]
    public async Task A_program_with_errors_is_not_explained_and_exits_1()
    {
        using var directory = new TemporaryDirectory();
        using var output = new StringWriter();
        var exitCode = await ProgMpCommand.RunAsync(
            ["eval", directory.Write("bad.progmp", "SCHEDULER t;\nSET(R9, 1);\n"), "--state", directory.Write("s.json", "{}"), "--explain"],
            output,
            output);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(output.ToString(), Does.Contain(": error PMP").And.Not.Contain("scheduler t"));
        });
    }

    [Test]
    public async Task The_help_of_eval_describes_explain_and_json()
    {
        using var output = new StringWriter();
        await ProgMpCommand.RunAsync(["eval", "--help"], output, output);
        Assert.That(output.ToString(), Does.Contain("--explain").And.Contain("--json").And.Contain("Explaining a decision"));
    }

    [Test]
    public async Task The_progmp_process_explains_from_a_state_on_standard_input()
    {
        using var directory = new TemporaryDirectory();
        var result = await ProgmpProcess.RunAsync(["eval", directory.Write("p.progmp", Program), "--state", "-", "--explain"], State);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
            Assert.That(result.Output, Does.Contain("pushed packet 100 on subflow 2"), result.ToString);
            Assert.That(result.Error, Is.Empty, result.ToString);
        });
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] options)
    {
        using var directory = new TemporaryDirectory();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ProgMpCommand.RunAsync(
            ["eval", directory.Write("p.progmp", Program), "--state", directory.Write("s.json", State), .. options],
            output,
            error);
        Assert.That(error.ToString(), Is.Empty);
        return (exitCode, output.ToString().ReplaceLineEndings("\n"));
    }
}
