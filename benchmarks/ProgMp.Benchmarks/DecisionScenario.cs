using ProgMp.Engine;
using ProgMp.Engine.Tracing;
using ProgMp.Runtime;
using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Model;

namespace ProgMp.Benchmarks;

/// <summary>
/// One stream about to decide: a number of subflows that can all take data, with different RTTs
/// (the fastest neither first nor last), and a backlog in Q. <see cref="Decide(SchedulerProgram)"/> runs one
/// invocation the way the engine does (Prepare, then Invoke) and then undoes it, so that every call
/// makes the same decision from the same state whichever program decides.
/// </summary>
internal sealed class DecisionScenario
{
    private const int PacketLength = 1400;

    private readonly SchedulerContext _context = new(new SequenceRandom([4]));
    private readonly SchedulerState _state = new();
    private readonly SubflowList _subflows = new();
    private readonly ulong _sessionMask;
    private long _invocations;

    public DecisionScenario(int subflowCount, int queuedPackets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(subflowCount, 1);
        for (var i = 0; i < subflowCount; i++)
        {
            // RTTs 20 ms, 30 ms, ... rotated so that the fastest sits in the middle of the list.
            var rank = (i + subflowCount - (subflowCount / 2)) % subflowCount;
            var subflow = new SubflowView(id: i + 1, slot: i)
            {
                Rtt = 20_000 + (rank * 10_000),
                RttVar = 1_000,
                Cwnd = 10,
                InFlight = 2,
            };
            subflow.DelayOut = subflow.DelayIn = subflow.Rtt / 2;
            _subflows.Add(subflow);
            _sessionMask |= subflow.Bit;
        }

        for (var i = 0; i < queuedPackets; i++)
        {
            _state.Q.Add(new Packet(seq: (long)i * PacketLength, PacketLength, user: 0, psh: false));
        }

        FastestId = subflowCount / 2 + 1;
    }

    /// <summary>The subflow a minimum-RTT decision must pick.</summary>
    public long FastestId { get; }

    /// <summary>One decision; returns the id of the subflow the packet was pushed on (0 for none).</summary>
    public long Decide(SchedulerProgram program)
    {
        _context.Prepare(_state, _subflows, _sessionMask, nowMs: 0);
        _context.Invoke(program);
        return Finish();
    }

    /// <summary>
    /// One decision with the engine's decision-trace hook around it, as SessionCore calls it: nothing
    /// but a null check when <paramref name="trace"/> is null.
    /// </summary>
    public long Decide(SchedulerProgram program, DecisionRecorder? trace)
    {
        _context.Prepare(_state, _subflows, _sessionMask, nowMs: 0);
        trace?.Begin(_context, program.Name, ++_invocations, DecisionCause.Pushed, _invocations, long.MaxValue);
        _context.Invoke(program);
        trace?.Complete(_context, 0);
        return Finish();
    }

    private long Finish()
    {
        var pushedOn = 0L;
        foreach (ref readonly var action in _context.Actions)
        {
            if (action.Kind == SchedulerActionKind.Push)
            {
                pushedOn = action.Subflow!.Id;
            }
        }

        Undo();
        return pushedOn;
    }

    /// <summary>True when Q holds the whole backlog again and QU and RQ are empty.</summary>
    public bool IsAsBuilt(int queuedPackets)
    {
        if (_state.Q.Count != queuedPackets || !_state.QU.IsEmpty || !_state.RQ.IsEmpty)
        {
            return false;
        }

        for (var i = 0; i < queuedPackets; i++)
        {
            if (_state.Q.ItemAt(i).Seq != (long)i * PacketLength)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// What the POP did: the packet moved from the head of Q to QU. Putting it back at the head of Q
    /// is O(1) (the list's start moves back), so the undo costs the same after every program.
    /// </summary>
    private void Undo()
    {
        var qu = _state.QU;
        while (!qu.IsEmpty)
        {
            var packet = qu.ItemAt(qu.Count - 1);
            qu.RemoveAt(qu.Count - 1);
            _state.Q.InsertBySeq(packet);
        }
    }
}
