using ProgMp.Runtime.Registry;
using System.Text;

namespace ProgMp.Compiler.Tests.Interpretation;

/// <summary>
/// The compiled delegate and the tree-walking interpreter, two independent evaluators of the same
/// bound tree, run on many generated programs and states and must do exactly the same.
/// </summary>
public class DifferentialTests
{
    // 3000 programs x 3 states: 14 s on one core, most of it compiling expression trees, so the
    // programs are spread over the cores.
    private const int ProgramCount = 3000;
    private const int StatesPerProgram = 3;
    private const int FirstSeed = 20_170_611;
    private const int MaxReportedFailures = 3;

    private static readonly SchedulerCompiler s_compiler = new();

    // It has found the emitter evaluating a FILTER chain's inner FILTER twice and GET's index before
    // its list (EvaluationOrderTests), and a Nullable-over-loop exception: all fixed.
    [Test]
    public void Compiled_and_interpreted_programs_do_the_same_on_generated_programs_and_states()
    {
        var failures = new SortedDictionary<int, string>();
        var seen = new Dictionary<string, int>();
        Parallel.For(
            0,
            ProgramCount,
            () => new Dictionary<string, int>(),
            (i, loop, seenHere) =>
            {
                var seed = FirstSeed + i;
                if (RunOne(seed, seenHere) is { } failure)
                {
                    lock (failures)
                    {
                        failures.Add(seed, failure);
                        if (failures.Count >= MaxReportedFailures)
                        {
                            loop.Stop();
                        }
                    }
                }

                return seenHere;
            },
            seenHere =>
            {
                lock (seen)
                {
                    foreach (var (kind, count) in seenHere)
                    {
                        seen[kind] = seen.GetValueOrDefault(kind) + count;
                    }
                }
            });

        Assert.That(failures.Values, Is.Empty, () => string.Join("\n\n", failures.Values.Take(MaxReportedFailures)));

        // The generator must keep reaching every kind of effect, or agreement proves little.
        Assert.That(seen, Does.ContainKey("push").And.ContainKey("drop").And.ContainKey("set").And.ContainKey("setUser")
            .And.ContainKey("print").And.ContainKey("put back").And.ContainKey("popped"));
        Assert.That(seen.Values.Min(), Is.GreaterThan(100), () => string.Join(", ", seen.Select(kv => $"{kv.Key}: {kv.Value}")));
    }

    /// <summary>
    /// One generated program on a few generated states; the seed alone reproduces it. Returns a report
    /// with the program text and the state when the evaluators differ, null when they agree.
    /// </summary>
    internal static string? RunOne(int seed, Dictionary<string, int>? seen = null)
    {
        var source = new ProgramGenerator(seed).Next("generated" + seed);
        SchedulerCompilation compiled;
        try
        {
            compiled = s_compiler.Compile(source, "generated.progmp");
        }
        catch (InvalidOperationException e)
        {
            return $"The compiler failed on a generated program (seed {seed}):\n{source}\n{e.InnerException?.GetType().Name}: {e.InnerException?.Message}";
        }

        if (compiled.Program is null)
        {
            return $"The generator wrote a program that does not compile (seed {seed}):\n{source}\n"
                + string.Join("\n", compiled.Diagnostics.Where(d => d.IsError));
        }

        var interpreted = SchedulerCompiler.CompileInterpreted(source, "generated.progmp").Program!;
        var states = new StateGenerator(seed);
        for (var k = 0; k < StatesPerProgram; k++)
        {
            var state = states.Next();
            var expected = InvocationOutcome.Run(compiled.Program, state);
            var actual = InvocationOutcome.Run(interpreted, state);
            var expectedText = expected.ToString();
            var actualText = actual.ToString();
            if (expectedText != actualText || expected.Failure is not null)
            {
                return Report(seed, k, source, state, expectedText, actualText);
            }

            if (seen is not null)
            {
                Count(seen, expected, state);
            }
        }

        return null;
    }

    private static void Count(Dictionary<string, int> seen, InvocationOutcome outcome, StateDescription state)
    {
        if (outcome.Queues != $"q [{string.Join(", ", state.Q)}] qu [{string.Join(", ", state.QU)}] rq [{string.Join(", ", state.RQ)}]")
        {
            seen["popped"] = seen.GetValueOrDefault("popped") + 1;
        }

        foreach (var action in outcome.Actions)
        {
            var kind = action[..action.IndexOf(' ', StringComparison.Ordinal)];
            seen[kind] = seen.GetValueOrDefault(kind) + 1;
        }

        if (outcome.PutBack.Length > 0)
        {
            seen["put back"] = seen.GetValueOrDefault("put back") + 1;
        }

    }

    private static string Report(int seed, int stateIndex, string source, StateDescription state, string compiled, string interpreted)
    {
        var text = new StringBuilder();
        text.Append("Seed ").Append(seed).Append(", state ").Append(stateIndex).Append(": the evaluators differ");
        text.Append(" (or the compiled program threw).\n--- program ---\n").Append(source);
        text.Append("--- state ---\n").Append(state).Append('\n');
        text.Append("--- compiled ---\n").Append(compiled);
        text.Append("--- interpreted ---\n").Append(interpreted);
        return text.ToString();
    }
}
