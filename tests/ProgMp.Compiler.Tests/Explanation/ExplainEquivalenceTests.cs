using System.Text.Json.Nodes;
using ProgMp.Compiler.Explanation;
using ProgMp.Compiler.Tests.Diagnostics;
using ProgMp.Compiler.Tests.Interpretation;
using ProgMp.Runtime.Evaluation;

namespace ProgMp.Compiler.Tests.Explanation;

/// <summary>
/// Explaining an invocation must not change it: the explained run decides exactly what the compiled
/// program decides, on every pinned case of the library and on generated programs.
/// </summary>
public class ExplainEquivalenceTests
{
    private const int GeneratedPrograms = 300;
    private const int StatesPerProgram = 3;
    private const int FirstSeed = 31_415_926;

    private static readonly SchedulerCompiler s_compiler = new();

    public static IEnumerable<TestCaseData> PinnedCases()
    {
        var tests = Path.Combine(DiagnosticTests.RepositoryRoot(), "schedulers", "tests");
        foreach (var file in Directory.GetFiles(tests, "*.json").Order(StringComparer.Ordinal))
        {
            var suite = JsonNode.Parse(File.ReadAllText(file))!;
            var scheduler = suite["scheduler"]!.GetValue<string>();
            foreach (var testCase in suite["cases"]!.AsArray())
            {
                yield return new TestCaseData(scheduler, testCase!["state"]!.ToJsonString())
                    .SetName($"explained as compiled: {Path.GetFileNameWithoutExtension(scheduler)}: {testCase["name"]!.GetValue<string>()}");
            }
        }
    }

    [TestCaseSource(nameof(PinnedCases))]
    public void The_explained_run_of_a_pinned_case_decides_as_the_compiled_program(string scheduler, string state)
    {
        var path = Path.Combine(DiagnosticTests.RepositoryRoot(), "schedulers", scheduler);
        var source = File.ReadAllText(path);
        var program = s_compiler.Compile(source, path).Program;
        Assert.That(program, Is.Not.Null);

        Assert.That(EvalStateReader.TryRead(state, out var compiledState, out var error), Is.True, error);
        var compiled = EvalRunner.Run(program!, compiledState!);

        Assert.That(EvalStateReader.TryRead(state, out var explainedState, out error), Is.True, error);
        var explained = EvalRunner.Prepare(explainedState!);
        var lines = SchedulerExplainer.Create(source, path)!.Explain(explained);

        Assert.Multiple(() =>
        {
            Assert.That(EvalRunner.ToJson(explained), Is.EqualTo(EvalRunner.ToJson(compiled)));
            Assert.That(EvalRunner.Warnings(explained), Is.EqualTo(EvalRunner.Warnings(compiled)));
            Assert.That(lines, Is.Not.Empty);
        });
    }

    [Test]
    public void The_explained_run_of_generated_programs_decides_as_the_compiled_program()
    {
        var failures = new List<string>();
        Parallel.For(0, GeneratedPrograms, (i, loop) =>
        {
            var seed = FirstSeed + i;
            var source = new ProgramGenerator(seed).Next("generated" + seed);
            var program = s_compiler.Compile(source, "generated.progmp").Program!;
            var explainer = SchedulerExplainer.Create(source, "generated.progmp")!;
            var states = new StateGenerator(seed);
            for (var k = 0; k < StatesPerProgram; k++)
            {
                var state = states.Next();
                var expected = InvocationOutcome.Run(program, state).ToString();
                var actual = InvocationOutcome.Run(state, context => explainer.Explain(context)).ToString();
                if (expected != actual)
                {
                    lock (failures)
                    {
                        failures.Add($"seed {seed}, state {k}:\n{source}\n{state}\n--- compiled ---\n{expected}--- explained ---\n{actual}");
                    }

                    loop.Stop();
                    return;
                }
            }
        });

        Assert.That(failures, Is.Empty, () => failures[0]);
    }
}
