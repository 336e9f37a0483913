using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ProgMp.Cli.Tests.Support;

namespace ProgMp.Cli.Tests;

/// <summary>
/// Every public conformance case, as its own test, through the real <c>progmp</c> process, exactly as
/// the cases' README describes: eval cases compare each key of <c>expect</c>, check cases look for an
/// error or warning diagnostic on each listed line.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public partial class ConformanceTests
{
    public static IEnumerable<TestCaseData> Cases() =>
        Directory.GetFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "Conformance"), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(path).SetName(Path.GetFileNameWithoutExtension(path)));

    [TestCaseSource(nameof(Cases))]
    public async Task Conformance_case_passes(string casePath)
    {
        var testCase = JsonNode.Parse(await File.ReadAllTextAsync(casePath))!.AsObject();
        using var directory = new TemporaryDirectory();
        var program = directory.Write("program.progmp", testCase["program"]!.GetValue<string>());

        if (testCase["state"] is { } state)
        {
            var statePath = directory.Write("state.json", state.ToJsonString());
            var result = await ProgmpProcess.RunAsync(["eval", program, "--state", statePath]);
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
            var actual = JsonNode.Parse(result.Output)!.AsObject();
            foreach (var (key, expected) in testCase["expect"]!.AsObject())
            {
                Assert.That(actual[key]?.ToJsonString(), Is.EqualTo(expected!.ToJsonString()), $"key '{key}'\n{result}");
            }
        }

        if (testCase["errorLines"] is JsonArray errorLines)
        {
            var result = await ProgmpProcess.RunAsync(["check", program]);
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString);
            Assert.That(DiagnosticLines(result.Output, "error"), Is.SupersetOf(errorLines.Select(l => l!.GetValue<int>())), result.ToString);
            Assert.That(result.Output + result.Error, Does.Not.Contain("   at "), "no stack trace");
        }

        if (testCase["warningLines"] is JsonArray warningLines)
        {
            var result = await ProgmpProcess.RunAsync(["check", program]);
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
            Assert.That(DiagnosticLines(result.Output, "warning"), Is.SupersetOf(warningLines.Select(l => l!.GetValue<int>())), result.ToString);
        }

        if (testCase["compiles"] is { } compiles && compiles.GetValue<bool>())
        {
            var result = await ProgmpProcess.RunAsync(["check", program]);
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
            Assert.That(DiagnosticLines(result.Output, "error"), Is.Empty, result.ToString);
        }
    }

    private static HashSet<int> DiagnosticLines(string output, string severity) =>
        [.. DiagnosticPattern().Matches(output)
            .Where(m => m.Groups["severity"].Value == severity)
            .Select(m => int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"\((?<line>\d+),\d+\): (?<severity>error|warning) PMP\d{4}: ")]
    private static partial Regex DiagnosticPattern();
}
