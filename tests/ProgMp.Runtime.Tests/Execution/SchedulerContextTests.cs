using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Model;

namespace ProgMp.Runtime.Tests.Execution;

/// <summary>The execution model of LANGUAGE.md, driven by hand-written program bodies.</summary>
public class SchedulerContextTests
{
    [Test]
    public void A_popped_packet_neither_pushed_nor_dropped_goes_back_where_it_was()
    {
        var (context, state, _) = Setup(q: [10, 20, 30], rq: [5, 6, 7]);
        Run(context, c =>
        {
            c.Pop(c.Q);
            c.Pop(c.Q);
            c.Pop(c.RQ);
            c.Pop(c.RQ);
        });
        Assert.Multiple(() =>
        {
            Assert.That(Seqs(state.Q), Is.EqualTo(new long[] { 10, 20, 30 }));
            Assert.That(Seqs(state.RQ), Is.EqualTo(new long[] { 5, 6, 7 }));
            Assert.That(Seqs(state.QU), Is.EqualTo(new long[] { 5, 6, 7 }));
            Assert.That(context.PutBack.Length, Is.EqualTo(4));
        });
    }

    [Test]
    public void A_packet_popped_from_Q_belongs_to_QU_at_once_and_stays_there_when_dropped()
    {
        var (context, state, _) = Setup(q: [10, 20]);
        long quCountDuring = 0;
        Run(context, c =>
        {
            c.Drop(c.Pop(c.Q)!);
            quCountDuring = c.QU.Count;
        });
        Assert.Multiple(() =>
        {
            Assert.That(quCountDuring, Is.EqualTo(1));
            Assert.That(Seqs(state.Q), Is.EqualTo(new long[] { 20 }));
            Assert.That(Seqs(state.QU), Is.EqualTo(new long[] { 10 }));
        });
    }

    [Test]
    public void A_drop_alone_is_no_state_change_that_calls_for_another_invocation()
    {
        var (context, state, _) = Setup(q: [10]);
        state.QU.InsertBySeq(new Packet(5, 1400, 0, false) { TransmitCount = 1 });
        Run(context, c => c.Drop(c.QU.Top!));
        Assert.That(context.ChangedState, Is.False);
        Run(context, c => c.SetRegister(0, 1));
        Assert.That(context.ChangedState, Is.True);
    }

    [Test]
    public void Popping_from_RQ_leaves_QU_as_it_is()
    {
        var (context, state, subflow) = Setup(rq: [5]);
        Run(context, c => c.Push(subflow, c.Pop(c.RQ)!));
        Assert.Multiple(() =>
        {
            Assert.That(Seqs(state.RQ), Is.Empty);
            Assert.That(Seqs(state.QU), Is.EqualTo(new long[] { 5 }));
        });
    }

    [Test]
    public void Pop_on_a_filtered_list_takes_from_the_queue_it_was_made_of()
    {
        var (context, state, subflow) = Setup(q: [10, 20, 30]);
        Run(context, c =>
        {
            var filtered = c.RentFiltered(c.Q);
            filtered.Add(c.Q.ItemAt(1));
            filtered.Add(c.Q.ItemAt(2));
            c.Push(subflow, c.Pop(filtered)!);
        });
        Assert.Multiple(() =>
        {
            Assert.That(Seqs(state.Q), Is.EqualTo(new long[] { 10, 30 }));
            Assert.That(Seqs(state.QU), Is.EqualTo(new long[] { 20 }));
        });
    }

    [Test]
    public void The_engine_refuses_a_drop_of_data_that_was_never_sent()
    {
        var (context, state, _) = Setup(q: [10, 20]);
        Run(context, c => c.Drop(c.Pop(c.Q)!));
        var refused = context.RefuseUnsafeDrops();
        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.EqualTo(1));
            Assert.That(Seqs(state.Q), Is.EqualTo(new long[] { 10, 20 }));
            Assert.That(Seqs(state.QU), Is.Empty);
        });
    }

    [Test]
    public void A_drop_of_a_packet_pushed_in_the_same_invocation_is_safe()
    {
        var (context, state, subflow) = Setup(q: [10]);
        Run(context, c =>
        {
            c.Push(subflow, c.Q.Top!);
            c.Drop(c.Pop(c.Q)!);
        });
        Assert.Multiple(() =>
        {
            Assert.That(context.RefuseUnsafeDrops(), Is.Zero);
            Assert.That(Seqs(state.QU), Is.EqualTo(new long[] { 10 }));
        });
    }

    [TestCase("n=%d", 5L, true, "n=5")]
    [TestCase("n=%u", -5L, true, "n=-5")]
    [TestCase("100%% %d%%", 7L, true, "100% 7%")]
    [TestCase("%x %d", 1L, true, "%x 1")]
    [TestCase("%d and %d", 3L, true, "3 and 3")]
    [TestCase("no value %d", 0L, false, "no value %d")]
    [TestCase("line\r\n\n", 0L, false, "line")]
    [TestCase("%", 1L, true, "%")]
    public void Print_formats_as_the_language_says(string format, long value, bool hasValue, string expected)
    {
        Assert.That(PrintFormatter.Format(format, value, hasValue), Is.EqualTo(expected));
    }

    [Test]
    public void A_sequence_random_starts_again_when_used_up()
    {
        var random = new SequenceRandom([7, 3]);
        Assert.That(new[] { random.Next(), random.Next(), random.Next() }, Is.EqualTo(new long[] { 7, 3, 7 }));
    }

    private static (SchedulerContext Context, SchedulerState State, SubflowView Subflow) Setup(long[]? q = null, long[]? rq = null)
    {
        var state = new SchedulerState();
        foreach (var seq in q ?? [])
        {
            state.Q.Add(new Packet(seq, 10, 0, false));
        }

        foreach (var seq in rq ?? [])
        {
            var packet = new Packet(seq, 10, 0, false) { TransmitCount = 1, SentOnMask = 1 };
            state.QU.InsertBySeq(packet);
            state.RQ.Add(packet);
        }

        var subflow = new SubflowView(1, 0);
        var subflows = new SubflowList();
        subflows.Add(subflow);
        var context = new SchedulerContext(new SequenceRandom([1]));
        context.Prepare(state, subflows, subflow.Bit, 0);
        return (context, state, subflow);
    }

    private static void Run(SchedulerContext context, SchedulerBody body) =>
        context.Invoke(new SchedulerProgram("test", "", null, [], body));

    private static long[] Seqs(PacketList list) => [.. Enumerable.Range(0, list.Count).Select(i => list.ItemAt(i).Seq)];
}
