using System.Globalization;
using System.Text;
using ProgMp.Compiler.Tests.Interpretation;
using ProgMp.Runtime;

namespace ProgMp.Compiler.Tests.Execution;

/// <summary>
/// Generated straight-line programs of PUSH, DROP and POP in every order, run by the compiled delegate
/// and by the interpreter, each held against a model of LANGUAGE.md's execution model written here from
/// the text alone: POP at once (from Q into QU), PUSH and DROP recorded, and a popped packet that was
/// neither pushed nor dropped anywhere in the invocation, before its POP or after, put back where it was.
/// The two evaluators share the runtime's execution code, so agreeing with each other proves nothing
/// about it; this model is the independent witness.
/// </summary>
public class OrderingModelTests
{
    private const int ProgramCount = 600;
    private const int FirstSeed = 20_171_211;

    private static readonly SchedulerCompiler s_compiler = new();

    [TestCase("SUBFLOWS.GET(0).PUSH(Q.TOP); VOID(Q.POP());")]
    [TestCase("DROP(Q.TOP); VOID(Q.POP());")]
    [TestCase("SUBFLOWS.GET(0).PUSH(RQ.TOP); VOID(RQ.POP());")]
    [TestCase("VAR p = Q.POP(); SUBFLOWS.GET(0).PUSH(p);")]
    [TestCase("VOID(Q.POP()); VOID(RQ.POP()); VOID(Q.POP());")]
    public void A_published_ordering_does_what_the_model_says(string body) =>
        Assert.That(Check(body), Is.Null);

    [Test]
    public void A_packet_pushed_as_Q_TOP_and_popped_later_is_sent_once_and_stays_in_QU()
    {
        var outcome = Run(s_compiler.Compile("SCHEDULER s; SUBFLOWS.GET(0).PUSH(Q.TOP); VOID(Q.POP());", "s.progmp").Program!);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Actions, Is.EqualTo(new[] { "push subflow 1 seq 10" }));
            Assert.That(outcome.Queues, Is.EqualTo("q [20, 30] qu [1, 2, 3, 10] rq [3, 1]"));
            Assert.That(outcome.PutBack, Is.Empty);
        });
    }

    [Test]
    public void Generated_orderings_of_push_drop_and_pop_do_what_the_model_says()
    {
        var failures = new List<string>();
        for (var seed = FirstSeed; seed < FirstSeed + ProgramCount && failures.Count < 3; seed++)
        {
            if (Check(Generate(seed)) is { } failure)
            {
                failures.Add($"seed {seed}: {failure}");
            }
        }

        Assert.That(failures, Is.Empty, () => string.Join("\n\n", failures));
    }

    /// <summary>Null when both evaluators agree with the model on <paramref name="body"/>, else a report.</summary>
    private static string? Check(string body)
    {
        var source = "SCHEDULER ordering;\n" + body + "\n";
        var compiled = s_compiler.Compile(source, "ordering.progmp");
        if (compiled.Program is null)
        {
            return "does not compile:\n" + source + string.Join("\n", compiled.Diagnostics.Where(d => d.IsError));
        }

        var expected = OrderingModel.Run(body);
        var interpreted = SchedulerCompiler.CompileInterpreted(source, "ordering.progmp").Program!;
        foreach (var (name, program) in new[] { ("compiled", compiled.Program), ("interpreted", interpreted) })
        {
            var outcome = Run(program);
            var actual = $"{string.Join("; ", outcome.Actions)} | {outcome.Queues} | put back [{outcome.PutBack}]";
            if (actual != expected || outcome.Failure is not null)
            {
                return $"{name} differs from the model\n--- program ---\n{source}--- model ---\n{expected}\n--- {name} ---\n{actual} {outcome.Failure}";
            }
        }

        return null;
    }

    /// <summary>Q holds three unsent packets; QU three sent on subflow 1, two of them in RQ.</summary>
    private static InvocationOutcome Run(SchedulerProgram program)
    {
        var state = new StateDescription();
        state.Subflows.Add(new StateDescription.Subflow(1, 0));
        state.SubflowOrder.Add(0);
        foreach (var seq in OrderingModel.InitialQ)
        {
            state.Packets[seq] = new StateDescription.Packet(seq);
            state.Q.Add(seq);
        }

        foreach (var seq in OrderingModel.InitialQU)
        {
            state.Packets[seq] = new StateDescription.Packet(seq) { SentOnMask = 1 };
            state.QU.Add(seq);
        }

        state.RQ.AddRange(OrderingModel.InitialRQ);
        return InvocationOutcome.Run(program, state);
    }

    /// <summary>Two to eight statements over Q, RQ and QU, with variables that hold popped packets.</summary>
    private static string Generate(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        var variables = new List<string>();
        var count = random.Next(2, 9);
        for (var i = 0; i < count; i++)
        {
            var list = random.Next(5) switch { 0 or 1 => "Q", 2 or 3 => "RQ", _ => "QU" };
            var popList = list == "QU" ? "Q" : list;
            var kind = random.Next(variables.Count > 0 ? 8 : 6);
            text.Append(kind switch
            {
                0 => $"SUBFLOWS.GET(0).PUSH({list}.TOP);",
                1 => $"DROP({list}.TOP);",
                2 => $"VOID({popList}.POP());",
                3 => $"SUBFLOWS.GET(0).PUSH({popList}.POP());",
                4 => $"DROP({popList}.POP());",
                5 => NewVariable(popList),
                6 => $"SUBFLOWS.GET(0).PUSH({variables[random.Next(variables.Count)]});",
                _ => $"DROP({variables[random.Next(variables.Count)]});",
            }).Append('\n');
        }

        return text.ToString();

        string NewVariable(string list)
        {
            var name = "v" + variables.Count.ToString(CultureInfo.InvariantCulture);
            variables.Add(name);
            return $"VAR {name} = {list}.POP();";
        }
    }
}
