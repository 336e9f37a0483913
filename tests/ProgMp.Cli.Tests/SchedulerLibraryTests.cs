using System.Text.Json.Nodes;
using ProgMp.Compiler;
using ProgMp.Runtime.Evaluation;

namespace ProgMp.Cli.Tests;

/// <summary>
/// The decisions of every scheduler in <c>schedulers/</c>, pinned by the cases in
/// <c>schedulers/tests/NAME.json</c> (a state and the expected keys of eval's result each).
/// </summary>
public class SchedulerLibraryTests
{
    private static readonly SchedulerCompiler s_compiler = new();

    public static IEnumerable<TestCaseData> Cases()
    {
        var tests = Path.Combine(RepositoryRoot(), "schedulers", "tests");
        foreach (var file in Directory.GetFiles(tests, "*.json").Order(StringComparer.Ordinal))
        {
            var suite = JsonNode.Parse(File.ReadAllText(file))!;
            var scheduler = suite["scheduler"]!.GetValue<string>();
            foreach (var testCase in suite["cases"]!.AsArray())
            {
                var name = testCase!["name"]!.GetValue<string>();
                yield return new TestCaseData(scheduler, testCase["state"]!.ToJsonString(), testCase["expect"]!.ToJsonString())
                    .SetName($"{Path.GetFileNameWithoutExtension(scheduler)}: {name}");
            }
        }
    }

    [Test]
    public void Every_library_scheduler_compiles_without_warnings_and_has_pinned_decisions()
    {
        var directory = Path.Combine(RepositoryRoot(), "schedulers");
        foreach (var file in Directory.GetFiles(directory, "*.progmp"))
        {
            var compilation = s_compiler.Compile(File.ReadAllText(file), file);
            Assert.That(compilation.Diagnostics, Is.Empty, file);
            Assert.That(File.Exists(Path.Combine(directory, "tests", Path.GetFileNameWithoutExtension(file) + ".json")), Is.True, $"{file} has no tests");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Scheduler_decides_as_pinned(string scheduler, string state, string expect)
    {
        var path = Path.Combine(RepositoryRoot(), "schedulers", scheduler);
        var compilation = s_compiler.Compile(File.ReadAllText(path), path);
        Assert.That(compilation.Program, Is.Not.Null, string.Join('\n', compilation.Diagnostics));
        Assert.That(EvalStateReader.TryRead(state, out var evalState, out var error), Is.True, error);

        var context = EvalRunner.Run(compilation.Program!, evalState!);
        var actual = JsonNode.Parse(EvalRunner.ToJson(context))!.AsObject();
        foreach (var (key, expected) in JsonNode.Parse(expect)!.AsObject())
        {
            Assert.That(actual[key]!.ToJsonString(), Is.EqualTo(expected!.ToJsonString()), key);
        }
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ProgMp.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ProgMp.sln not found above the test directory.");
    }
}
