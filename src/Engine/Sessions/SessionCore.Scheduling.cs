using ProgMp.Engine.Logging;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Subflows;
using ProgMp.Engine.Timing;
using ProgMp.Engine.Wire;
using ProgMp.Runtime;
using ProgMp.Runtime.Execution;

namespace ProgMp.Engine.Sessions;

internal sealed partial class SessionCore
{
    /// <summary>Deficit round robin's quantum: the bytes a stream may have pushed per turn before the next stream's turn.</summary>
    private const long QuantumBytes = 16 * 1024;

    /// <summary>After an invocation that changed state without pushing, again at most this often (LANGUAGE.md, execution model).</summary>
    private const int MaxStateOnlyRepeats = 5;

    private readonly SchedulerContext _context;
    private readonly Queue<StreamCore> _active = new();
    private bool _pumping;
    private bool _pumpAgain;

    public long SchedulerInvocations { get; private set; }

    public long RefusedDrops { get; private set; }

    /// <summary>Puts a stream with data to schedule in the round.</summary>
    public void Activate(StreamCore stream)
    {
        if (!stream.IsActive && stream.HasSendWork && !stream.IsReset)
        {
            stream.IsActive = true;
            _active.Enqueue(stream);
        }
    }

    private void ActivateAll()
    {
        foreach (var stream in _streams.Values)
        {
            Activate(stream);
        }
    }

    private bool AnySubflowCanTakeData()
    {
        foreach (var subflow in _subflows)
        {
            if (subflow.CanTakeData)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A send opportunity: runs the streams' schedulers while some subflow can take data, streams in
    /// turn (deficit round robin by bytes), each through its own program.
    /// </summary>
    public void PumpLocked()
    {
        if (_pumping)
        {
            _pumpAgain = true;
            return;
        }

        _pumping = true;
        try
        {
            do
            {
                _pumpAgain = false;
                RunRound();
            }
            while (_pumpAgain && !IsClosed);
        }
        finally
        {
            _pumping = false;
        }
    }

    private void RunRound()
    {
        // Streams that get a turn without pushing wait for the next send opportunity.
        while (_active.Count > 0 && AnySubflowCanTakeData())
        {
            var stream = _active.Dequeue();
            stream.IsActive = false;
            if (stream.IsReset || !stream.HasSendWork)
            {
                stream.Deficit = 0;
                continue;
            }

            stream.Deficit += QuantumBytes;
            var pushedThisTurn = false;
            var stateOnly = 0;
            var cause = DecisionCause.Turn;
            while (stream.Deficit > 0 && stream.HasSendWork && AnySubflowCanTakeData())
            {
                var pushed = InvokeScheduler(stream, cause);
                if (pushed < 0)
                {
                    break;
                }

                if (pushed > 0)
                {
                    stream.Deficit -= pushed;
                    pushedThisTurn = true;
                    stateOnly = 0;
                    cause = DecisionCause.Pushed;
                    continue;
                }

                if (_context.ChangedState && ++stateOnly <= MaxStateOnlyRepeats)
                {
                    cause = DecisionCause.ChangedState;
                    continue;
                }

                break;
            }

            if (pushedThisTurn)
            {
                Activate(stream);
            }
            else
            {
                stream.Deficit = 0;
                _parked.Add(stream);
            }
        }

        // Streams parked this round come back at the next opportunity. One that waits for nothing but
        // its scheduler's choice (not the peer's window, which is probed) gets one from the timer soon,
        // as nothing else may bring it.
        var retry = false;
        foreach (var parked in _parked)
        {
            Activate(parked);
            retry |= parked.IsActive && !parked.WaitsForWindow;
        }

        _parked.Clear();
        if (retry && AnySubflowCanTakeData())
        {
            ScheduleTimerLocked(MonotonicClock.NowMicroseconds + RetryPumpUs);
        }
    }

    private readonly List<StreamCore> _parked = [];
    private readonly HashSet<uint> _warnedNoScheduler = [];

    // Programs that threw in this session, each logged once (a registry holds few programs).
    private readonly HashSet<SchedulerProgram> _failedPrograms = [];

    /// <summary>One invocation of the stream's scheduler and the carrying out of its pushes. Returns the bytes pushed, or -1 when the stream has no scheduler.</summary>
    private long InvokeScheduler(StreamCore stream, DecisionCause cause)
    {
        var program = ResolveProgram(stream);
        if (program is null)
        {
            return -1;
        }

        var nowUs = MonotonicClock.NowMicroseconds;
        foreach (var subflow in _subflows)
        {
            subflow.RefreshView(nowUs);
            subflow.View.WindowRightEdge = stream.PeerRightEdge;
        }

        _context.Prepare(stream.State, _available, _sessionMask, nowUs / 1000);

        // Null unless an operator asked for the stream's decision trace: the only cost when off.
        var trace = stream.Trace;
        trace?.Begin(_context, program.Name, stream.Invocations + 1, cause, nowUs, stream.PeerRightEdge);
        try
        {
            _context.Invoke(program);
        }
        catch (Exception e)
        {
            // A compiled program does not throw by design. If one ever does, it would throw again at
            // every decision: the stream ends with an error both sides see, the session and its other
            // streams carry on.
            if (_failedPrograms.Add(program))
            {
                EngineLog.SchedulerThrew(Logger, Name, program.Name, stream.Id, e);
            }

            ResetStreamLocked(stream, StreamResetReason.InternalError);
            return -1;
        }

        SchedulerInvocations++;
        stream.Invocations++;
        var refused = _context.RefuseUnsafeDrops();
        if (refused > 0)
        {
            RefusedDrops += refused;
            stream.RefusedDrops += refused;
            EngineLog.UnsafeDropRefused(Logger, Name, stream.Id, program.Name, refused);
        }

        trace?.Complete(_context, refused);
        if (_context.PutBack.Length > 0)
        {
            EngineLog.PutBack(Logger, Name, stream.Id, program.Name, _context.PutBack.Length);
        }

        long pushedBytes = 0;
        foreach (ref readonly var action in _context.Actions)
        {
            if (action.Kind != SchedulerActionKind.Push || action.Subflow is not { } view || action.Packet is not OutboundPacket packet)
            {
                continue;
            }

            if (packet.Acked || _slots[view.Slot] is not { State: SubflowState.Active } subflow)
            {
                continue;
            }

            if (packet.TransmitCount > 0)
            {
                stream.RetransmittedBytes += packet.Length;
            }

            subflow.Enqueue(packet);
            pushedBytes += Math.Max(1, packet.Length);
        }

        return pushedBytes;
    }

    private SchedulerProgram? ResolveProgram(StreamCore stream)
    {
        if (stream.Scheduler.Program is { } program)
        {
            return program;
        }

        if (Options.Registry.TryGet(Options.DefaultScheduler, out var fallback))
        {
            return fallback;
        }

        if (_warnedNoScheduler.Add(stream.Id))
        {
            EngineLog.NoScheduler(Logger, Name, stream.Id, stream.Scheduler.Name, Options.DefaultScheduler);
        }

        return null;
    }

    /// <summary>Chooses the stream's scheduler by name; it need not be loaded yet (the default runs until it is).</summary>
    public void SetSchedulerLocked(StreamCore stream, string name)
    {
        stream.Scheduler = Options.Registry.GetSlot(name);
        _warnedNoScheduler.Remove(stream.Id);
        Activate(stream);
        PumpLocked();
    }

    public void SetRegisterLocked(StreamCore stream, int register, long value)
    {
        stream.State.Registers[register - 1] = value;
        Activate(stream);
        PumpLocked();
    }

    /// <summary>The registry changed: streams run the new program at their next decision; give them one now.</summary>
    public void OnRegistryChanged()
    {
        lock (Gate)
        {
            _warnedNoScheduler.Clear();
            ActivateAll();
            PumpLocked();
        }
    }
}
