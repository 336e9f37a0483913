using ProgMp.Compiler.Tests.Interpretation;
using ProgMp.Runtime.Execution;

namespace ProgMp.Compiler.Tests.Emit;

/// <summary>
/// LANGUAGE.md's order rules through the compiled delegate: "target first, then arguments left to
/// right", a NULL target or argument stops evaluation, and FILTER/MIN run their lambda once per
/// element. RANDOM makes each evaluation visible: the state's RANDOM sequence tells how many values
/// the program drew (the next value after the invocation) and which one each use got.
/// </summary>
public class EvaluationOrderTests
{
    private static readonly SchedulerCompiler s_compiler = new();

    // Found by the differential test (seed 20170815): the second FILTER evaluated the first one
    // twice (once to rent its result, once to loop over it), so the lambda drew RANDOM twice per
    // element; the second draw (83) found no subflow, the chain came out empty and nothing was popped.
    [Test]
    public void A_FILTER_chain_evaluates_its_inner_FILTER_once_before_POP()
    {
        var state = State(random: [0, 83, 50]);
        AddSubflow(state, id: 5, slot: 3);
        AddPacket(state, seq: 12689, sentOnSlot: 3, inQu: true, inRq: true);

        var context = Run(
            "VOID((RQ.FILTER(p => RQ.MIN(m => 0).SENT_ON(SUBFLOWS.GET(RANDOM)))).FILTER(p => TRUE).POP());",
            state);

        Assert.Multiple(() =>
        {
            Assert.That(context.PutBack.ToArray().Select(p => p.Seq), Is.EqualTo(new long[] { 12689 }), "popped, unused, put back");
            Assert.That(context.ChangedState, Is.True);
            Assert.That(context.NextRandom(), Is.EqualTo(83), "one RANDOM drawn for the one element");
        });
    }

    // GET's index divides by a register, so it may be NULL; the list must still be evaluated first.
    [Test]
    public void GET_evaluates_its_list_before_its_index()
    {
        var state = State(random: [1, 1, 0, 7]);
        state.Registers[0] = 1;
        AddSubflow(state, id: 1, slot: 0);
        AddSubflow(state, id: 2, slot: 1);

        var context = Run("PRINT(\"%d\", SUBFLOWS.FILTER(s => RANDOM > 0).GET(RANDOM / R1));", state);

        Assert.Multiple(() =>
        {
            // The FILTER draws 1 and 1 (both kept), then the index draws 0: subflow 1.
            Assert.That(context.Actions.ToArray().Select(a => a.Text), Is.EqualTo(new[] { "1" }));
            Assert.That(context.NextRandom(), Is.EqualTo(7));
        });
    }

    [Test]
    public void A_NULL_argument_still_lets_the_target_be_evaluated_first()
    {
        var state = State(random: [3, 4, 5]);
        AddSubflow(state, id: 1, slot: 0);
        AddSubflow(state, id: 2, slot: 1);

        var context = Run("VOID(SUBFLOWS.FILTER(s => RANDOM > 0).GET(NULL));", state);

        Assert.That(context.NextRandom(), Is.EqualTo(5), "the FILTER drew once per subflow");
    }

    [Test]
    public void A_NULL_target_leaves_its_arguments_unevaluated()
    {
        var state = State(random: [3, 4, 5]);
        AddSubflow(state, id: 1, slot: 0);

        var context = Run(
            "VOID(RQ.TOP.SENT_ON(SUBFLOWS.GET(RANDOM)));\nSUBFLOWS.GET(RANDOM - 3).PUSH(Q.FILTER(p => RANDOM > 0).TOP);",
            state);

        // Only the PUSH's target drew (3, so GET(0) is subflow 1), and then its FILTER over an empty Q.
        Assert.Multiple(() =>
        {
            Assert.That(context.Actions.Length, Is.Zero);
            Assert.That(context.NextRandom(), Is.EqualTo(4));
        });
    }

    // The emitter folds MIN/MAX/SUM of a FILTER into one loop, except when both lambdas draw RANDOM:
    // then the FILTER still draws for every element before MIN draws for the ones it kept.
    [Test]
    public void FILTER_then_MIN_draw_RANDOM_in_two_passes_when_both_lambdas_draw()
    {
        var state = State(random: [1, 0, 5, 3]);
        AddSubflow(state, id: 1, slot: 0);
        AddSubflow(state, id: 2, slot: 1);

        var context = Run("PRINT(\"%d\", SUBFLOWS.FILTER(s => RANDOM > 0).MIN(s => RANDOM));", state);

        // FILTER: 1 keeps subflow 1, 0 drops subflow 2; MIN over subflow 1 draws 5. Interleaved, the
        // four draws would have kept both subflows and left 1 as the next value.
        Assert.Multiple(() =>
        {
            Assert.That(context.Actions.ToArray().Select(a => a.Text), Is.EqualTo(new[] { "1" }));
            Assert.That(context.NextRandom(), Is.EqualTo(3));
        });
    }

    [Test]
    public void MIN_of_a_FILTER_skips_what_the_FILTER_drops_and_NULL_values()
    {
        var state = State(random: [4]);
        AddSubflow(state, id: 1, slot: 0);
        AddSubflow(state, id: 2, slot: 1);
        AddSubflow(state, id: 3, slot: 2);
        state.Registers[0] = 2;

        // Subflow 1 is dropped by the FILTER, subflow 2 gives NULL (a division by zero), so subflow 3.
        var context = Run("PRINT(\"%d\", SUBFLOWS.FILTER(s => s.ID > 1).MIN(s => 10 / (s.ID - R1)));", state);

        Assert.That(context.Actions.ToArray().Select(a => a.Text), Is.EqualTo(new[] { "3" }));
    }

    private static SchedulerContext Run(string statements, StateDescription state)
    {
        var compilation = s_compiler.Compile("SCHEDULER order;\n" + statements + "\n", "order.progmp");
        Assert.That(compilation.Program, Is.Not.Null, () => string.Join("\n", compilation.Diagnostics));
        var context = state.CreateContext();
        context.Invoke(compilation.Program!);
        return context;
    }

    private static StateDescription State(long[] random)
    {
        var state = new StateDescription();
        state.Random.Clear();
        state.Random.AddRange(random);
        return state;
    }

    private static void AddSubflow(StateDescription state, long id, int slot)
    {
        state.SubflowOrder.Add(state.Subflows.Count);
        state.Subflows.Add(new StateDescription.Subflow(id, slot));
    }

    private static void AddPacket(StateDescription state, long seq, int sentOnSlot, bool inQu, bool inRq)
    {
        state.Packets[seq] = new StateDescription.Packet(seq) { SentOnMask = 1UL << sentOnSlot };
        if (inQu)
        {
            state.QU.Add(seq);
        }

        if (inRq)
        {
            state.RQ.Add(seq);
        }
    }
}
