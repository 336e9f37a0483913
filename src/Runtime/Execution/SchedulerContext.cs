using ProgMp.Runtime.Model;

namespace ProgMp.Runtime.Execution;

/// <summary>
/// Everything one invocation of a scheduler reads and writes (LANGUAGE.md, "Execution model"), and the
/// only parameter of a compiled program. A host keeps one per scheduling thread and points it at a
/// stream's <see cref="SchedulerState"/> before each invocation; every buffer is reused, so a
/// decision allocates nothing once the buffers have grown to the stream's size.
/// </summary>
/// <remarks>
/// Members that compiled code touches are public fields or small methods; their names are looked up
/// by <c>nameof</c> in the compiler's emitter.
/// </remarks>
internal sealed partial class SchedulerContext
{
    private static readonly SubflowList s_noSubflows = new();

    private SchedulerAction[] _actions = new SchedulerAction[16];
    private int _actionCount;
    private PopRecord[] _pops = new PopRecord[8];
    private int _popCount;
    private Packet[] _putBack = new Packet[4];
    private int _putBackCount;
    private SchedulerState _state = new();

    public SchedulerContext(IRandomSource? random = null, IPrintSink? printSink = null)
    {
        Random = random ?? XorShiftRandom.FromEntropy();
        PrintSink = printSink;
        Q = _state.Q;
        QU = _state.QU;
        RQ = _state.RQ;
        Registers = _state.Registers;
        SubflowUser = _state.SubflowUser;
        Subflows = s_noSubflows;
    }

    public PacketList Q;
    public PacketList QU;
    public PacketList RQ;

    /// <summary>R1..R6 at 0..5.</summary>
    public long[] Registers;

    /// <summary>The stream's subflow USER values, by slot.</summary>
    public long[] SubflowUser;

    /// <summary><c>SUBFLOWS</c>: the subflows able to send now.</summary>
    public SubflowList Subflows;

    /// <summary>One bit per subflow of the session, available or not (for <c>SENT_ON_ALL</c>).</summary>
    public ulong SessionMask;

    /// <summary><c>CURRENT_TIME_MS</c> for this invocation.</summary>
    public long NowMs;

    public IRandomSource Random { get; set; }

    public IPrintSink? PrintSink { get; set; }

    /// <summary>The name <c>PRINT</c> output is attributed to.</summary>
    public string SchedulerName { get; private set; } = "";

    public SchedulerState State => _state;

    /// <summary>The effects of the last invocation, in the order the program made them.</summary>
    public ReadOnlySpan<SchedulerAction> Actions => _actions.AsSpan(0, _actionCount);

    /// <summary>The POPs of the last invocation, in the order made: where each packet came from and whether it was put back.</summary>
    public ReadOnlySpan<PopRecord> Pops => _pops.AsSpan(0, _popCount);

    /// <summary>Packets the last invocation popped and neither pushed nor dropped: they were put back.</summary>
    public ReadOnlySpan<Packet> PutBack => _putBack.AsSpan(0, _putBackCount);

    /// <summary>How many actions of the last invocation were pushes.</summary>
    public int PushCount { get; private set; }

    /// <summary>The last invocation changed state (POP, SET, SET_USER): a reason to invoke again even without a push.</summary>
    public bool ChangedState { get; private set; }

    /// <summary>Points the context at a stream and the session's subflows for the next invocation.</summary>
    public void Prepare(SchedulerState state, SubflowList subflows, ulong sessionMask, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(subflows);
        _state = state;
        Q = state.Q;
        QU = state.QU;
        RQ = state.RQ;
        Registers = state.Registers;
        SubflowUser = state.SubflowUser;
        Subflows = subflows;
        SessionMask = sessionMask;
        NowMs = nowMs;
    }

    /// <summary>
    /// Runs one invocation: the program from the top, then the popped packets that were neither
    /// pushed nor dropped go back where they were. Pushes are left in <see cref="Actions"/> for the host.
    /// </summary>
    public void Invoke(SchedulerProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        SchedulerName = program.Name;
        Array.Clear(_actions, 0, _actionCount);
        _actionCount = 0;
        Array.Clear(_pops, 0, _popCount);
        _popCount = 0;
        _putBackCount = 0;
        PushCount = 0;
        ChangedState = false;
        ResetArena();
        try
        {
            program.Body(this);
        }
        finally
        {
            PutBackUnused();
            ReleaseArena();
        }
    }

    public long NextRandom() => Random.Next();

    public long GetUser(SubflowView subflow) => SubflowUser[subflow.Slot];

    public bool SentOnAll(Packet packet) => (packet.SentOnMask & SessionMask) == SessionMask;

    /// <summary>
    /// <c>POP()</c> on a queue, or on a FILTER chain of one: takes the list's first packet out of its
    /// queue at once. A packet taken from Q belongs to QU from now on.
    /// </summary>
    public Packet? Pop(PacketList list)
    {
        var packet = list.Top;
        if (packet is null)
        {
            return null;
        }

        var source = list.Kind == PacketListKind.Derived
            ? list.PopSource ?? throw new InvalidOperationException("POP on a list that belongs to no queue.")
            : list;
        int index;
        if (ReferenceEquals(source, list))
        {
            index = 0;
        }
        else
        {
            index = source.Kind == PacketListKind.Q ? source.IndexOfSorted(packet) : source.IndexOf(packet);
            if (index < 0)
            {
                return null;
            }
        }

        source.RemoveAt(index);
        if (source.Kind == PacketListKind.Q)
        {
            QU.InsertBySeq(packet);
        }

        if (_popCount == _pops.Length)
        {
            Array.Resize(ref _pops, _pops.Length * 2);
        }

        // A push or drop counts wherever it happened in the invocation (LANGUAGE.md): a packet pushed or
        // dropped as Q.TOP before this POP is used already and must not go back.
        _pops[_popCount++] = new PopRecord { Packet = packet, Source = source, Index = index, Used = WasPushedOrDropped(packet), ActionsBefore = _actionCount };
        ChangedState = true;
        return packet;
    }

    /// <summary><c>s.PUSH(p)</c>: recorded now, carried out by the host after the invocation.</summary>
    public void Push(SubflowView subflow, Packet packet)
    {
        MarkUsed(packet);
        PushCount++;
        Record(new SchedulerAction(SchedulerActionKind.Push, subflow, packet, 0, 0, null));
    }

    /// <summary>
    /// <c>DROP(p)</c>: lets go of the packet; changes no list itself, so it is no reason to invoke again
    /// (LANGUAGE.md counts POP, SET and SET_USER).
    /// </summary>
    public void Drop(Packet packet)
    {
        MarkUsed(packet);
        Record(new SchedulerAction(SchedulerActionKind.Drop, null, packet, 0, 0, null));
    }

    /// <summary><c>SET(Rn, v)</c> with <paramref name="index"/> = n - 1.</summary>
    public void SetRegister(int index, long value)
    {
        Registers[index] = value;
        ChangedState = true;
        Record(new SchedulerAction(SchedulerActionKind.Set, null, null, index + 1, value, null));
    }

    public void SetUser(SubflowView subflow, long value)
    {
        SubflowUser[subflow.Slot] = value;
        ChangedState = true;
        Record(new SchedulerAction(SchedulerActionKind.SetUser, subflow, null, 0, value, null));
    }

    /// <summary><c>PRINT</c>: formatted only when the sink lets it through (eval has no sink and records all).</summary>
    public void Print(string format, long value, bool hasValue)
    {
        if (PrintSink is { } sink && !sink.ShouldPrint(NowMs))
        {
            return;
        }

        var text = PrintFormatter.Format(format, value, hasValue);
        Record(new SchedulerAction(SchedulerActionKind.Print, null, null, 0, value, text));
        PrintSink?.Print(SchedulerName, text);
    }

    /// <summary>
    /// The engine's rule after an invocation (LANGUAGE.md, DROP): a dropped packet that was never sent
    /// and is not pushed now would tear a hole in the byte stream, so it goes back to Q. Returns how
    /// many drops were refused. <c>eval</c> does not call this.
    /// </summary>
    public int RefuseUnsafeDrops()
    {
        var refused = 0;
        for (var i = 0; i < _actionCount; i++)
        {
            ref readonly var action = ref _actions[i];
            if (action.Kind != SchedulerActionKind.Drop || action.Packet is not { TransmitCount: 0 } packet
                || WasPushed(packet))
            {
                continue;
            }

            refused++;
            var inQu = QU.IndexOfSorted(packet);
            if (inQu >= 0)
            {
                QU.RemoveAt(inQu);
                RQ.Remove(packet);
                if (Q.IndexOfSorted(packet) < 0)
                {
                    Q.InsertBySeq(packet);
                }
            }
        }

        return refused;
    }

    private bool WasPushed(Packet packet)
    {
        for (var i = 0; i < _actionCount; i++)
        {
            if (_actions[i].Kind == SchedulerActionKind.Push && ReferenceEquals(_actions[i].Packet, packet))
            {
                return true;
            }
        }

        return false;
    }

    private bool WasPushedOrDropped(Packet packet)
    {
        for (var i = 0; i < _actionCount; i++)
        {
            if (_actions[i].Kind is SchedulerActionKind.Push or SchedulerActionKind.Drop && ReferenceEquals(_actions[i].Packet, packet))
            {
                return true;
            }
        }

        return false;
    }

    private void MarkUsed(Packet packet)
    {
        for (var i = _popCount - 1; i >= 0; i--)
        {
            if (ReferenceEquals(_pops[i].Packet, packet))
            {
                _pops[i].Used = true;
                return;
            }
        }
    }

    private void Record(in SchedulerAction action)
    {
        if (_actionCount == _actions.Length)
        {
            Array.Resize(ref _actions, _actions.Length * 2);
        }

        _actions[_actionCount++] = action;
    }

    private void PutBackUnused()
    {
        // In reverse order of the pops, so that every packet lands exactly where it was.
        for (var i = _popCount - 1; i >= 0; i--)
        {
            ref var pop = ref _pops[i];
            if (pop.Used)
            {
                continue;
            }

            if (pop.Source.Kind == PacketListKind.Q)
            {
                var inQu = QU.IndexOfSorted(pop.Packet);
                if (inQu >= 0)
                {
                    QU.RemoveAt(inQu);
                }

                pop.Source.InsertBySeq(pop.Packet);
            }
            else
            {
                pop.Source.Insert(Math.Min(pop.Index, pop.Source.Count), pop.Packet);
            }

            if (_putBackCount == _putBack.Length)
            {
                Array.Resize(ref _putBack, _putBack.Length * 2);
            }

            _putBack[_putBackCount++] = pop.Packet;
        }
    }
}
