using ProgMp.Engine.Timing;
using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Model;

namespace ProgMp.Engine.Tracing;

/// <summary>
/// The decision trace of one stream: a ring of the last <see cref="Capacity"/> invocations of its
/// scheduler, each with what the program saw and what it did. Everything is allocated when the trace
/// is enabled, so recording a decision copies numbers into place and allocates nothing. The engine
/// calls <see cref="Begin"/> after preparing an invocation and <see cref="Complete"/> after carrying it
/// out, both under the session's lock; an invocation that throws is never completed and leaves no entry.
/// </summary>
internal sealed class DecisionRecorder
{
    private readonly RecordedDecision[] _decisions;
    private readonly RecordedSubflow[] _subflows;
    private readonly RecordedAction[] _actions;
    private readonly long[] _registers;

    // Wall-clock time at a moment of the monotonic clock: entries keep monotonic microseconds, a copy turns them into times.
    private readonly DateTimeOffset _originTime;
    private readonly long _originUs;

    private long _recorded;

    // The slot the next decision goes to: _recorded modulo the capacity, kept apart so recording needs no division.
    private int _next;
    private bool _open;

    public DecisionRecorder(int capacity, long nowUs, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, DecisionTrace.MaxCapacity);
        Capacity = capacity;
        _decisions = new RecordedDecision[capacity];
        _subflows = new RecordedSubflow[capacity * DecisionTrace.MaxSubflows];
        _actions = new RecordedAction[capacity * DecisionTrace.MaxActions];
        _registers = new long[capacity * SchedulerState.RegisterCount];
        _originTime = now;
        _originUs = nowUs;
        IsRecording = true;
    }

    /// <summary>A recorder whose entries carry wall-clock times from now on.</summary>
    public static DecisionRecorder StartNow(int capacity) => new(capacity, MonotonicClock.NowMicroseconds, DateTimeOffset.UtcNow);

    public int Capacity { get; }

    public bool IsRecording { get; private set; }

    /// <summary>Decisions completed since the trace was enabled.</summary>
    public long Recorded => _recorded;

    /// <summary>Stops recording; what was recorded stays readable.</summary>
    public void Stop()
    {
        IsRecording = false;
        _open = false;
    }

    /// <summary>What the program is about to see: the queues, the registers and SUBFLOWS, from a prepared context.</summary>
    public void Begin(SchedulerContext context, string scheduler, long invocation, DecisionCause cause, long nowUs, long windowEnd)
    {
        if (!IsRecording)
        {
            return;
        }

        var slot = _next;
        ref var decision = ref _decisions[slot];
        decision.TimeUs = nowUs;
        decision.Invocation = invocation;
        decision.Scheduler = scheduler;
        decision.Cause = cause;
        decision.Q = context.Q.Count;
        decision.QU = context.QU.Count;
        decision.RQ = context.RQ.Count;
        decision.QTopSeq = context.Q.Top?.Seq ?? -1;
        decision.RqTopSeq = context.RQ.Top?.Seq ?? -1;
        decision.WindowEnd = windowEnd;
        context.Registers.AsSpan(0, SchedulerState.RegisterCount).CopyTo(_registers.AsSpan(slot * SchedulerState.RegisterCount));

        var subflows = context.Subflows;
        var kept = Math.Min(subflows.Count, DecisionTrace.MaxSubflows);
        var first = slot * DecisionTrace.MaxSubflows;
        for (var i = 0; i < kept; i++)
        {
            var view = subflows.ItemAt(i);
            ref var copy = ref _subflows[first + i];
            copy.Id = view.Id;
            copy.Rtt = view.Rtt;
            copy.RttVar = view.RttVar;
            copy.DelayOut = view.DelayOut;
            copy.DelayIn = view.DelayIn;
            copy.Cwnd = view.Cwnd;
            copy.Ssthresh = view.Ssthresh;
            copy.InFlight = view.InFlight;
            copy.Queued = view.Queued;
            copy.Lost = view.Lost;
            copy.BwOutSend = view.BwOutSend;
            copy.BwOutAck = view.BwOutAck;
            copy.User = context.SubflowUser[view.Slot];
            copy.IsBackup = view.IsBackup;
            copy.Throttled = view.Throttled;
            copy.Lossy = view.Lossy;
        }

        decision.SubflowCount = kept;
        decision.SubflowsSeen = subflows.Count;
        _open = true;
    }

    /// <summary>What the program did: its actions with its POPs among them, in the order made; the entry now counts.</summary>
    public void Complete(SchedulerContext context, int refusedDrops)
    {
        if (!_open)
        {
            return;
        }

        _open = false;
        var slot = _next;
        ref var decision = ref _decisions[slot];
        var first = slot * DecisionTrace.MaxActions;
        var count = 0;
        var actions = context.Actions;
        var pops = context.Pops;
        var nextPop = 0;
        for (var i = 0; i <= actions.Length; i++)
        {
            while (nextPop < pops.Length && pops[nextPop].ActionsBefore == i)
            {
                ref readonly var pop = ref pops[nextPop++];
                if (count < DecisionTrace.MaxActions)
                {
                    _actions[first + count] = new RecordedAction
                    {
                        Kind = TracedActionKind.Pop,
                        Seq = pop.Packet.Seq,
                        Length = pop.Packet.Length,
                        Queue = pop.Source.Kind,
                        PutBack = !pop.Used,
                    };
                }

                count++;
            }

            if (i == actions.Length)
            {
                break;
            }

            if (count < DecisionTrace.MaxActions)
            {
                _actions[first + count] = Record(actions[i]);
            }

            count++;
        }

        decision.ActionCount = Math.Min(count, DecisionTrace.MaxActions);
        decision.ActionsSeen = count;
        decision.RefusedDrops = refusedDrops;
        _recorded++;
        _next = _next + 1 == Capacity ? 0 : _next + 1;
    }

    /// <summary>
    /// Room for a copy of the newest <paramref name="last"/> decisions this ring can keep, to be made
    /// outside the session's lock (it may take megabytes) and filled under it by <see cref="CopyTo"/>.
    /// </summary>
    public RecordedDecisions PrepareCopy(int last)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(last);
        return new RecordedDecisions(this, Math.Min(Capacity, last), Capacity, _originTime, _originUs);
    }

    /// <summary>Copies the newest decisions kept, as many as <paramref name="copy"/> has room for, as raw entries: no records are made here.</summary>
    public void CopyTo(RecordedDecisions copy)
    {
        if (!ReferenceEquals(copy.Source, this))
        {
            throw new ArgumentException("The copy was prepared for another ring.", nameof(copy));
        }

        var shown = (int)Math.Min(Math.Min(_recorded, Capacity), copy.Slots);
        var firstSlot = (int)((_recorded - shown) % Capacity);
        copy.Fill(_decisions, _subflows, _actions, _registers, firstSlot, shown, IsRecording, _recorded);
    }

    /// <summary>An immutable copy of the newest <paramref name="last"/> decisions kept, oldest first (for a recorder no one else reaches).</summary>
    public DecisionTrace Snapshot(int last = int.MaxValue)
    {
        var copy = PrepareCopy(last);
        CopyTo(copy);
        return copy.Describe();
    }

    private static RecordedAction Record(in SchedulerAction action) => action.Kind switch
    {
        SchedulerActionKind.Push => new RecordedAction
        {
            Kind = TracedActionKind.Push,
            Seq = action.Packet!.Seq,
            Length = action.Packet.Length,
            SubflowId = action.Subflow!.Id,
        },
        SchedulerActionKind.Drop => new RecordedAction { Kind = TracedActionKind.Drop, Seq = action.Packet!.Seq, Length = action.Packet.Length },
        SchedulerActionKind.Set => new RecordedAction { Kind = TracedActionKind.Set, Register = action.Register, Value = action.Value },
        SchedulerActionKind.SetUser => new RecordedAction { Kind = TracedActionKind.SetUser, SubflowId = action.Subflow!.Id, Value = action.Value },
        _ => new RecordedAction { Kind = TracedActionKind.Print, Text = action.Text },
    };
}
