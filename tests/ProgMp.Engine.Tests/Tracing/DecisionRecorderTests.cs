using ProgMp.Engine.Tracing;
using ProgMp.Runtime;
using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Model;

namespace ProgMp.Engine.Tests.Tracing;

/// <summary>The decision trace's ring, driven by hand-written program bodies over a prepared context, without sockets.</summary>
public class DecisionRecorderTests
{
    private const long PacketLength = 1400;

    [Test]
    public void A_decision_keeps_what_the_program_saw_before_it_ran_and_what_it_did_in_order()
    {
        var scene = new Scene(subflows: 2, queued: 3);
        scene.State.Registers[1] = 4;
        scene.State.SubflowUser[1] = 9;
        var recorder = new DecisionRecorder(8, nowUs: 1_000, now: s_origin);

        scene.Decide(recorder, c =>
        {
            c.SetRegister(1, 7);
            c.Push(c.Subflows.ItemAt(1), c.Pop(c.Q)!);
            c.Pop(c.Q);
        }, nowUs: 3_500);

        var decision = recorder.Snapshot().Decisions.Single();
        Assert.Multiple(() =>
        {
            Assert.That(decision.Invocation, Is.EqualTo(1));
            Assert.That(decision.Time, Is.EqualTo(s_origin.AddMilliseconds(2.5)));
            Assert.That(decision.Scheduler, Is.EqualTo("test"));
            Assert.That((decision.Q, decision.QU, decision.RQ), Is.EqualTo((3, 0, 0)), "the queues before the POPs");
            Assert.That(decision.QTopSeq, Is.Zero);
            Assert.That(decision.RqTopSeq, Is.Null);
            Assert.That(decision.Registers, Is.EqualTo(new long[] { 0, 4, 0, 0, 0, 0 }), "the registers before the SET");
            Assert.That(decision.Subflows.Select(s => (s.Id, s.RttMicroseconds, s.CongestionWindow, s.InFlight, s.User)), Is.EqualTo(new[] { (1L, 10_000L, 10L, 1L, 0L), (2L, 20_000L, 12L, 2L, 9L) }));
            Assert.That(decision.Actions.Select(a => a.ToString()), Is.EqualTo(new[] { "SET R2 = 7", "POP Q 0", "PUSH 0+1400 -> 2", "POP Q 1400 (put back)" }));
            Assert.That((decision.SubflowsOmitted, decision.ActionsOmitted), Is.EqualTo((0, 0)));
        });
    }

    [Test]
    public void A_push_made_before_its_pop_is_shown_before_it()
    {
        var scene = new Scene(subflows: 1, queued: 1);
        var recorder = new DecisionRecorder(8, 0, s_origin);

        scene.Decide(recorder, c =>
        {
            c.Push(c.Subflows.ItemAt(0), c.Q.Top!);
            c.Pop(c.Q);
        });

        Assert.That(recorder.Snapshot().Decisions.Single().Actions.Select(a => a.ToString()), Is.EqualTo(new[] { "PUSH 0+1400 -> 1", "POP Q 0" }));
    }

    [TestCase(1, 1, new long[] { 1 })]
    [TestCase(3, 2, new long[] { 1, 2 })]
    [TestCase(3, 3, new long[] { 1, 2, 3 })]
    [TestCase(3, 4, new long[] { 2, 3, 4 })]
    [TestCase(3, 10, new long[] { 8, 9, 10 })]
    public void The_ring_keeps_the_newest_decisions_oldest_first(int capacity, int decisions, long[] kept)
    {
        var scene = new Scene(subflows: 1, queued: 1);
        var recorder = new DecisionRecorder(capacity, 0, s_origin);

        for (var i = 0; i < decisions; i++)
        {
            scene.Decide(recorder, _ => { });
        }

        var trace = recorder.Snapshot();
        Assert.Multiple(() =>
        {
            Assert.That(trace.Decisions.Select(d => d.Invocation), Is.EqualTo(kept));
            Assert.That(trace.Recorded, Is.EqualTo(decisions));
            Assert.That(trace.Capacity, Is.EqualTo(capacity));
        });
    }

    [TestCase(0, new long[0])]
    [TestCase(2, new long[] { 4, 5 })]
    [TestCase(4, new long[] { 2, 3, 4, 5 })]
    [TestCase(9, new long[] { 2, 3, 4, 5 })]
    public void A_copy_of_the_last_n_holds_the_newest_n_kept(int last, long[] shown)
    {
        var scene = new Scene(subflows: 1, queued: 1);
        var recorder = new DecisionRecorder(4, 0, s_origin);
        for (var i = 0; i < 5; i++)
        {
            scene.Decide(recorder, _ => { });
        }

        Assert.That(recorder.Snapshot(last).Decisions.Select(d => d.Invocation), Is.EqualTo(shown));
    }

    // SUBFLOWS and actions beyond the bounds are counted, not kept.
    [TestCase(8, 16, 8, 0, 16, 0)]
    [TestCase(9, 17, 8, 1, 16, 1)]
    [TestCase(20, 40, 8, 12, 16, 24)]
    public void A_decision_keeps_at_most_the_bounded_subflows_and_actions_and_counts_the_rest(int subflows, int sets, int keptSubflows, int omittedSubflows, int keptActions, int omittedActions)
    {
        var scene = new Scene(subflows, queued: 1);
        var recorder = new DecisionRecorder(2, 0, s_origin);

        scene.Decide(recorder, c =>
        {
            for (var i = 0; i < sets; i++)
            {
                c.SetRegister(0, i);
            }
        });

        var decision = recorder.Snapshot().Decisions.Single();
        Assert.Multiple(() =>
        {
            Assert.That(decision.Subflows, Has.Count.EqualTo(keptSubflows));
            Assert.That(decision.SubflowsOmitted, Is.EqualTo(omittedSubflows));
            Assert.That(decision.Actions, Has.Count.EqualTo(keptActions));
            Assert.That(decision.ActionsOmitted, Is.EqualTo(omittedActions));
            Assert.That(decision.Actions[^1].ToString(), Is.EqualTo($"SET R1 = {keptActions - 1}"), "the first actions are the ones kept");
        });
    }

    [Test]
    public void A_copy_does_not_change_when_the_stream_decides_again_and_cannot_be_changed()
    {
        var scene = new Scene(subflows: 1, queued: 4);
        var recorder = new DecisionRecorder(2, 0, s_origin);
        scene.Decide(recorder, c => c.Push(c.Subflows.ItemAt(0), c.Pop(c.Q)!));
        var before = recorder.Snapshot();
        var text = before.ToString();

        scene.Decide(recorder, c => c.Push(c.Subflows.ItemAt(0), c.Pop(c.Q)!));
        scene.Decide(recorder, c => c.Push(c.Subflows.ItemAt(0), c.Pop(c.Q)!));

        Assert.Multiple(() =>
        {
            Assert.That(before.ToString(), Is.EqualTo(text));
            Assert.That(before.Recorded, Is.EqualTo(1));
            Assert.That(before.Decisions.Single().Actions[1].Seq, Is.Zero);
            Assert.That(((ICollection<TracedDecision>)before.Decisions).IsReadOnly, Is.True);
            Assert.That(((ICollection<TracedAction>)before.Decisions[0].Actions).IsReadOnly, Is.True);
            Assert.That(((ICollection<long>)before.Decisions[0].Registers).IsReadOnly, Is.True);
            Assert.That(recorder.Snapshot().Decisions.Select(d => d.Actions[1].Seq), Is.EqualTo(new[] { 1400L, 2800L }));
        });
    }

    [Test]
    public void A_stopped_recorder_records_nothing_and_keeps_what_it_had()
    {
        var scene = new Scene(subflows: 1, queued: 1);
        var recorder = new DecisionRecorder(4, 0, s_origin);
        scene.Decide(recorder, _ => { });

        recorder.Stop();
        scene.Decide(recorder, _ => { });

        var trace = recorder.Snapshot();
        Assert.Multiple(() =>
        {
            Assert.That(trace.IsRecording, Is.False);
            Assert.That(trace.Recorded, Is.EqualTo(1));
            Assert.That(trace.Decisions.Select(d => d.Invocation), Is.EqualTo(new long[] { 1 }));
        });
    }

    [Test]
    public void An_invocation_that_never_completes_leaves_no_entry()
    {
        var scene = new Scene(subflows: 1, queued: 1);
        var recorder = new DecisionRecorder(4, 0, s_origin);

        scene.Context.Prepare(scene.State, scene.Subflows, ulong.MaxValue, 0);
        recorder.Begin(scene.Context, "thrower", 1, DecisionCause.Turn, 0, long.MaxValue);
        Assert.Throws<InvalidOperationException>(() => scene.Context.Invoke(new SchedulerProgram("thrower", "", null, [], _ => throw new InvalidOperationException("boom"))));
        scene.Decide(recorder, _ => { });

        Assert.That(recorder.Snapshot().Decisions.Select(d => d.Scheduler), Is.EqualTo(new[] { "test" }));
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(DecisionTrace.MaxCapacity + 1)]
    public void A_capacity_outside_1_to_the_maximum_is_refused(int capacity) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DecisionRecorder(capacity, 0, s_origin));

    [Test]
    public void Recording_a_decision_allocates_nothing()
    {
        var scene = new Scene(subflows: DecisionTrace.MaxSubflows + 2, queued: 2);
        var recorder = new DecisionRecorder(4, 0, s_origin);
        var program = new SchedulerProgram("test", "", null, [], c =>
        {
            c.SetRegister(0, 1);
            c.Push(c.Subflows.ItemAt(0), c.Pop(c.Q)!);
            c.Pop(c.Q);
        });
        scene.Context.Prepare(scene.State, scene.Subflows, ulong.MaxValue, 0);
        scene.Context.Invoke(program);

        void Record(int times)
        {
            for (var i = 0; i < times; i++)
            {
                recorder.Begin(scene.Context, "test", i, DecisionCause.Pushed, i, long.MaxValue);
                recorder.Complete(scene.Context, 0);
            }
        }

        Record(16);
        var allocated = long.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Record(100);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Copying_a_full_ring_for_a_reader_allocates_nothing_and_makes_no_records()
    {
        // The copy is the only part of reading a trace done under the session's lock.
        var scene = new Scene(subflows: DecisionTrace.MaxSubflows + 1, queued: 1);
        var recorder = new DecisionRecorder(DecisionTrace.MaxCapacity, 0, s_origin);
        for (var i = 0; i < DecisionTrace.MaxCapacity + 3; i++)
        {
            scene.Decide(recorder, c =>
            {
                for (var set = 0; set <= DecisionTrace.MaxActions; set++)
                {
                    c.SetRegister(0, set);
                }
            });
        }

        var copy = recorder.PrepareCopy(int.MaxValue);
        var before = GC.GetAllocatedBytesForCurrentThread();
        recorder.CopyTo(copy);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var trace = copy.Describe();

        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(trace.Decisions.Select(d => d.Invocation), Is.EqualTo(Enumerable.Range(4, DecisionTrace.MaxCapacity).Select(i => (long)i)), "the newest, oldest first, across the ring's end");
            Assert.That(trace.Decisions.Select(d => (d.Subflows.Count, d.SubflowsOmitted, d.Actions.Count, d.ActionsOmitted)).Distinct(), Is.EqualTo(new[] { (DecisionTrace.MaxSubflows, 1, DecisionTrace.MaxActions, 1) }));
            Assert.That(trace.ToString(), Is.EqualTo(recorder.Snapshot().ToString()));
        });
    }

    [Test]
    public void A_copy_describes_the_ring_as_it_was_when_copied_though_the_ring_moved_on_before_it_was_described()
    {
        var scene = new Scene(subflows: 1, queued: 8);
        var recorder = new DecisionRecorder(3, 0, s_origin);
        for (var i = 0; i < 4; i++)
        {
            scene.Decide(recorder, c => c.Push(c.Subflows.ItemAt(0), c.Pop(c.Q)!), nowUs: i * 1_000);
        }

        var copy = recorder.PrepareCopy(2);
        recorder.CopyTo(copy);
        for (var i = 0; i < 3; i++)
        {
            scene.Decide(recorder, c => c.Push(c.Subflows.ItemAt(0), c.Pop(c.Q)!));
        }

        var trace = copy.Describe();
        Assert.Multiple(() =>
        {
            Assert.That((trace.IsRecording, trace.Capacity, trace.Recorded), Is.EqualTo((true, 3, 4L)));
            Assert.That(trace.Decisions.Select(d => d.Invocation), Is.EqualTo(new long[] { 3, 4 }));
            Assert.That(trace.Decisions.Select(d => d.Actions[1].Seq), Is.EqualTo(new long?[] { 2800, 4200 }));
            Assert.That(trace.Decisions.Select(d => d.Time), Is.EqualTo(new[] { s_origin.AddMilliseconds(2), s_origin.AddMilliseconds(3) }));
        });
    }

    [Test]
    public void A_copy_prepared_for_one_ring_is_not_filled_from_another() =>
        Assert.Throws<ArgumentException>(() => new DecisionRecorder(4, 0, s_origin).CopyTo(new DecisionRecorder(4, 0, s_origin).PrepareCopy(4)));

    [Test]
    public void The_trace_prints_as_an_aligned_table_one_decision_a_row()
    {
        var scene = new Scene(subflows: 2, queued: 2);
        var recorder = new DecisionRecorder(4, 0, s_origin);
        scene.Decide(recorder, c => c.Push(c.Subflows.ItemAt(0), c.Pop(c.Q)!));
        scene.Decide(recorder, _ => { }, cause: DecisionCause.Pushed);
        recorder.Stop();

        var lines = recorder.Snapshot().ToString().Split('\n');

        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo("stopped: 2 decisions recorded, the last 4 kept, 2 shown"));
            Assert.That(lines[1], Does.Match(@"^time +invocation +scheduler +why +Q/QU/RQ +subflows \(id: rtt in flight\+queued/cwnd\) +did$"));
            Assert.That(lines[2], Does.Match(@"^\d\d:\d\d:\d\d\.\d{3} +1 +test +turn +2/0/0 +1: 10\.00ms 1\+0/10, 2: 20\.00ms 2\+0/12 +POP Q 0, PUSH 0\+1400 -> 1$"));
            Assert.That(lines[3], Does.Match(@"^\d\d:\d\d:\d\d\.\d{3} +2 +test +again: pushed +1/1/0 +1: 10\.00ms 1\+0/10, 2: 20\.00ms 2\+0/12 +nothing$"));
            Assert.That(lines[2].IndexOf("1: 10.00ms", StringComparison.Ordinal), Is.EqualTo(lines[3].IndexOf("1: 10.00ms", StringComparison.Ordinal)), "columns align");
            Assert.That(lines[^1], Is.Empty);
        });
    }

    private static readonly DateTimeOffset s_origin = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>A stream's state and a session's subflows, as the engine prepares them, and invocations over them with a recorder around each.</summary>
    private sealed class Scene
    {
        private long _invocations;

        public Scene(int subflows, int queued)
        {
            for (var i = 0; i < subflows; i++)
            {
                Subflows.Add(new SubflowView(id: i + 1, slot: i) { Rtt = (i + 1) * 10_000, Cwnd = 10 + (2 * i), InFlight = i + 1 });
            }

            for (var i = 0; i < queued; i++)
            {
                State.Q.Add(new Packet(i * PacketLength, PacketLength, 0, false));
            }
        }

        public SchedulerContext Context { get; } = new();

        public SchedulerState State { get; } = new();

        public SubflowList Subflows { get; } = new();

        public void Decide(DecisionRecorder recorder, SchedulerBody body, long nowUs = 0, DecisionCause cause = DecisionCause.Turn)
        {
            Context.Prepare(State, Subflows, ulong.MaxValue, nowUs / 1000);
            recorder.Begin(Context, "test", ++_invocations, cause, nowUs, long.MaxValue);
            Context.Invoke(new SchedulerProgram("test", "", null, [], body));
            recorder.Complete(Context, Context.RefuseUnsafeDrops());
        }
    }
}
