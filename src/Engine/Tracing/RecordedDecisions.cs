using ProgMp.Runtime.Execution;

namespace ProgMp.Engine.Tracing;

/// <summary>
/// The raw entries of the newest decisions of a ring, in the ring's own layout: made (allocated) outside
/// the session's lock, filled under it by <see cref="DecisionRecorder.CopyTo"/> with a few block copies,
/// and turned into the public records by <see cref="Describe()"/> outside it again, so that reading a
/// large trace holds up the session for a copy of memory, not for the making of thousands of objects.
/// </summary>
internal sealed class RecordedDecisions
{
    private readonly RecordedDecision[] _decisions;
    private readonly RecordedSubflow[] _subflows;
    private readonly RecordedAction[] _actions;
    private readonly long[] _registers;

    /// <summary>Room for <paramref name="slots"/> decisions of <paramref name="source"/>, whose ring keeps <paramref name="capacity"/>.</summary>
    public RecordedDecisions(DecisionRecorder source, int slots, int capacity, DateTimeOffset originTime, long originUs)
    {
        Source = source;
        _decisions = new RecordedDecision[slots];
        _subflows = new RecordedSubflow[slots * DecisionTrace.MaxSubflows];
        _actions = new RecordedAction[slots * DecisionTrace.MaxActions];
        _registers = new long[slots * SchedulerState.RegisterCount];

        // Fresh large arrays are pages the process has not touched yet; writing them now takes their
        // page faults here rather than in the copy under the lock (many times as long, measured).
        Array.Clear(_decisions);
        Array.Clear(_subflows);
        Array.Clear(_actions);
        Array.Clear(_registers);
        Capacity = capacity;
        OriginTime = originTime;
        OriginUs = originUs;
    }

    /// <summary>The ring this copy is for: its times count from that ring's origin.</summary>
    public DecisionRecorder Source { get; }

    public int Capacity { get; }

    public DateTimeOffset OriginTime { get; }

    public long OriginUs { get; }

    /// <summary>The most decisions this copy holds.</summary>
    public int Slots => _decisions.Length;

    /// <summary>The decisions copied, at the start of the arrays.</summary>
    public int Count { get; private set; }

    public bool IsRecording { get; private set; }

    public long Recorded { get; private set; }

    /// <summary>
    /// Copies <paramref name="count"/> ring slots from <paramref name="firstSlot"/> on, wrapping at the
    /// end of the ring: at most two runs per array. Allocates nothing.
    /// </summary>
    public void Fill(
        RecordedDecision[] decisions,
        RecordedSubflow[] subflows,
        RecordedAction[] actions,
        long[] registers,
        int firstSlot,
        int count,
        bool isRecording,
        long recorded)
    {
        var first = Math.Min(count, Capacity - firstSlot);
        CopyRun(decisions, subflows, actions, registers, firstSlot, 0, first);
        CopyRun(decisions, subflows, actions, registers, 0, first, count - first);
        Count = count;
        IsRecording = isRecording;
        Recorded = recorded;
    }

    /// <summary>The public copy of what was copied, oldest first.</summary>
    public DecisionTrace Describe()
    {
        var decisions = new TracedDecision[Count];
        for (var i = 0; i < decisions.Length; i++)
        {
            decisions[i] = Describe(i);
        }

        return new DecisionTrace
        {
            IsRecording = IsRecording,
            Capacity = Capacity,
            Recorded = Recorded,
            Decisions = Array.AsReadOnly(decisions),
        };
    }

    private void CopyRun(RecordedDecision[] decisions, RecordedSubflow[] subflows, RecordedAction[] actions, long[] registers, int from, int to, int count)
    {
        if (count <= 0)
        {
            return;
        }

        Array.Copy(decisions, from, _decisions, to, count);
        Array.Copy(subflows, from * DecisionTrace.MaxSubflows, _subflows, to * DecisionTrace.MaxSubflows, count * DecisionTrace.MaxSubflows);
        Array.Copy(actions, from * DecisionTrace.MaxActions, _actions, to * DecisionTrace.MaxActions, count * DecisionTrace.MaxActions);
        Array.Copy(registers, from * SchedulerState.RegisterCount, _registers, to * SchedulerState.RegisterCount, count * SchedulerState.RegisterCount);
    }

    private TracedDecision Describe(int index)
    {
        ref readonly var decision = ref _decisions[index];
        var subflows = new TracedSubflow[decision.SubflowCount];
        for (var i = 0; i < subflows.Length; i++)
        {
            subflows[i] = Describe(_subflows[(index * DecisionTrace.MaxSubflows) + i]);
        }

        var actions = new TracedAction[decision.ActionCount];
        for (var i = 0; i < actions.Length; i++)
        {
            actions[i] = Describe(_actions[(index * DecisionTrace.MaxActions) + i]);
        }

        return new TracedDecision
        {
            Invocation = decision.Invocation,
            Time = OriginTime.AddTicks((decision.TimeUs - OriginUs) * TimeSpan.TicksPerMicrosecond),
            Scheduler = decision.Scheduler,
            Cause = decision.Cause,
            Q = decision.Q,
            QU = decision.QU,
            RQ = decision.RQ,
            QTopSeq = decision.QTopSeq < 0 ? null : decision.QTopSeq,
            RqTopSeq = decision.RqTopSeq < 0 ? null : decision.RqTopSeq,
            WindowEnd = decision.WindowEnd,
            Registers = Array.AsReadOnly(_registers.AsSpan(index * SchedulerState.RegisterCount, SchedulerState.RegisterCount).ToArray()),
            Subflows = Array.AsReadOnly(subflows),
            SubflowsOmitted = decision.SubflowsSeen - decision.SubflowCount,
            Actions = Array.AsReadOnly(actions),
            ActionsOmitted = decision.ActionsSeen - decision.ActionCount,
            RefusedDrops = decision.RefusedDrops,
        };
    }

    private static TracedSubflow Describe(in RecordedSubflow subflow) => new()
    {
        Id = subflow.Id,
        RttMicroseconds = subflow.Rtt,
        RttVarMicroseconds = subflow.RttVar,
        DelayOutMicroseconds = subflow.DelayOut,
        DelayInMicroseconds = subflow.DelayIn,
        CongestionWindow = subflow.Cwnd,
        SlowStartThreshold = subflow.Ssthresh,
        InFlight = subflow.InFlight,
        Queued = subflow.Queued,
        LostPackets = subflow.Lost,
        SendBytesLastSecond = subflow.BwOutSend,
        AckedBytesLastSecond = subflow.BwOutAck,
        User = subflow.User,
        IsBackup = subflow.IsBackup,
        Throttled = subflow.Throttled,
        Lossy = subflow.Lossy,
    };

    private static TracedAction Describe(in RecordedAction action) => action.Kind switch
    {
        TracedActionKind.Push => new TracedAction { Kind = action.Kind, Seq = action.Seq, Length = action.Length, SubflowId = action.SubflowId },
        TracedActionKind.Drop => new TracedAction { Kind = action.Kind, Seq = action.Seq, Length = action.Length },
        TracedActionKind.Pop => new TracedAction { Kind = action.Kind, Seq = action.Seq, Length = action.Length, Queue = action.Queue.ToString(), PutBack = action.PutBack },
        TracedActionKind.Set => new TracedAction { Kind = action.Kind, Register = action.Register, Value = action.Value },
        TracedActionKind.SetUser => new TracedAction { Kind = action.Kind, SubflowId = action.SubflowId, Value = action.Value },
        _ => new TracedAction { Kind = action.Kind, Text = action.Text },
    };
}
