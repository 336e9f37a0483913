using System.Runtime.CompilerServices;
using ProgMp.Compiler.Binding;
using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Model;

namespace ProgMp.Compiler.Interpretation;

/// <summary>
/// One invocation of an interpreted program: the context it acts on and the values of its variables.
/// Statements follow LANGUAGE.md, "Statements" and "Execution model"; expressions are in
/// <c>TreeWalker.Expressions.cs</c>, list operations in <c>TreeWalker.Lists.cs</c>.
/// </summary>
/// <remarks>
/// List values are the Runtime's own lists, rented from the context's arena (a FILTER result must be a
/// <see cref="PacketList"/> that knows its queue, so that POP on it goes through
/// <see cref="SchedulerContext.Pop"/>). Unlike compiled code, the walker never hands arena space back
/// before the invocation ends: no list it made is ever reused while the invocation runs, so its
/// results do not depend on the arena's bookkeeping.
/// </remarks>
internal sealed partial class TreeWalker
{
    private readonly Dictionary<LocalSymbol, int> _slots;
    private readonly SchedulerContext _context;
    private readonly InterpreterValue[] _locals;

    // Null unless the invocation is being explained: every hook below is one null check when off.
    private readonly IInterpreterTracer? _tracer;

    public TreeWalker(Dictionary<LocalSymbol, int> slots, SchedulerContext context, IInterpreterTracer? tracer = null)
    {
        _slots = slots;
        _context = context;
        _tracer = tracer;
        _locals = slots.Count == 0 ? [] : new InterpreterValue[slots.Count];
    }

    public void Run(BoundBlock body) => Execute(body);

    /// <summary>Runs a statement; false when a RETURN ended the invocation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Execute(BoundStatement statement) =>
        _tracer is null ? ExecuteStatement(statement) : ExecuteTraced(statement);

    private bool ExecuteTraced(BoundStatement statement)
    {
        // A block is only its statements: they are reported one by one.
        if (statement is BoundBlock)
        {
            return ExecuteStatement(statement);
        }

        _tracer!.StatementStarting(statement);
        var goOn = ExecuteStatement(statement);
        _tracer.StatementFinished(statement);
        return goOn;
    }

    private bool ExecuteStatement(BoundStatement statement)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (statement)
        {
            case BoundBlock block:
                foreach (var inner in block.Statements)
                {
                    if (!Execute(inner))
                    {
                        return false;
                    }
                }

                return true;

            case BoundVar s:
                // A list value is a snapshot: later POPs must not change it.
                Assign(s.Symbol, Snapshot(Evaluate(s.Initializer)));
                return true;

            case BoundIf s:
                if (Evaluate(s.Condition).IsTrue)
                {
                    return Execute(s.Then);
                }

                return s.Else is null || Execute(s.Else);

            case BoundForeach s:
                return ExecuteForeach(s);

            case BoundReturn:
                return false;

            case BoundPush s:
                {
                    // Target first; a NULL target leaves the argument unevaluated.
                    var subflow = Evaluate(s.Subflow);
                    if (subflow.IsNull)
                    {
                        _tracer?.NullSkipped(s, s.Subflow);
                        return true;
                    }

                    var packet = Evaluate(s.Packet);
                    if (packet.IsNull)
                    {
                        _tracer?.NullSkipped(s, s.Packet);
                    }
                    else
                    {
                        _context.Push(subflow.Subflow, packet.Packet);
                    }

                    return true;
                }

            case BoundSetUser s:
                {
                    var subflow = Evaluate(s.Subflow);
                    if (subflow.IsNull)
                    {
                        _tracer?.NullSkipped(s, s.Subflow);
                        return true;
                    }

                    var value = Evaluate(s.Value);
                    if (value.IsNull)
                    {
                        _tracer?.NullSkipped(s, s.Value);
                    }
                    else
                    {
                        _context.SetUser(subflow.Subflow, value.Integer);
                    }

                    return true;
                }

            case BoundDrop s:
                {
                    var packet = Evaluate(s.Packet);
                    if (packet.IsNull)
                    {
                        _tracer?.NullSkipped(s, s.Packet);
                    }
                    else
                    {
                        _context.Drop(packet.Packet);
                    }

                    return true;
                }

            case BoundSet s:
                {
                    // A NULL value leaves the register unchanged.
                    var value = Evaluate(s.Value);
                    if (value.IsNull)
                    {
                        _tracer?.NullSkipped(s, s.Value);
                    }
                    else
                    {
                        _context.SetRegister(s.Register, value.Integer);
                    }

                    return true;
                }

            case BoundPrint s:
                ExecutePrint(s);
                return true;

            case BoundVoid s:
                if (s.Value is not null)
                {
                    _ = Evaluate(s.Value);
                }

                return true;

            default:
                throw new InvalidOperationException($"The interpreter has no rule for {statement.GetType().Name}.");
        }
    }

    /// <summary>Over a snapshot of the list taken when the loop starts, in list order.</summary>
    private bool ExecuteForeach(BoundForeach statement)
    {
        var list = Snapshot(Evaluate(statement.List));
        switch (list.Kind)
        {
            case InterpreterValueKind.PacketList:
                {
                    var packets = list.PacketList;
                    for (var i = 0; i < packets.Count; i++)
                    {
                        var element = InterpreterValue.FromPacket(packets.ItemAt(i));
                        Assign(statement.Variable, element);
                        _tracer?.ForeachIteration(statement, element);
                        if (!Execute(statement.Body))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            case InterpreterValueKind.SubflowList:
                {
                    var subflows = list.SubflowList;
                    for (var i = 0; i < subflows.Count; i++)
                    {
                        var element = InterpreterValue.FromSubflow(subflows.ItemAt(i));
                        Assign(statement.Variable, element);
                        _tracer?.ForeachIteration(statement, element);
                        if (!Execute(statement.Body))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            default:
                // A NULL list: nothing to loop over.
                return true;
        }
    }

    /// <summary>
    /// PRINT: without a value the format is printed as it is; a NULL value prints nothing; a boolean
    /// prints as 1/0, a subflow as its ID, a packet as its SEQ.
    /// </summary>
    private void ExecutePrint(BoundPrint statement)
    {
        if (statement.Value is null)
        {
            _context.Print(statement.Format, 0, hasValue: false);
            return;
        }

        var value = Evaluate(statement.Value);
        long number;
        switch (value.Kind)
        {
            case InterpreterValueKind.Null:
                _tracer?.NullSkipped(statement, statement.Value);
                return;
            case InterpreterValueKind.Integer:
                number = value.Integer;
                break;
            case InterpreterValueKind.Boolean:
                number = value.Boolean ? 1 : 0;
                break;
            case InterpreterValueKind.Subflow:
                number = value.Subflow.Id;
                break;
            case InterpreterValueKind.Packet:
                number = value.Packet.Seq;
                break;
            default:
                throw new InvalidOperationException($"PRINT of {value.Kind} passed the binder.");
        }

        _context.Print(statement.Format, number, hasValue: true);
    }

    /// <summary>
    /// A queue (Q, QU, RQ) is copied as it is now; every other list value is already a list of its own
    /// that nothing changes during the invocation (FILTER results, SUBFLOWS).
    /// </summary>
    private InterpreterValue Snapshot(InterpreterValue value)
    {
        if (value.Kind == InterpreterValueKind.PacketList && value.PacketList.Kind != PacketListKind.Derived)
        {
            return InterpreterValue.FromPacketList(_context.Snapshot(value.PacketList));
        }

        return value;
    }

    private void Assign(LocalSymbol symbol, InterpreterValue value) => _locals[_slots[symbol]] = value;

    private InterpreterValue Read(LocalSymbol symbol) => _locals[_slots[symbol]];
}
