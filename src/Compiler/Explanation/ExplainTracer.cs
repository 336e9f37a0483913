using ProgMp.Compiler.Binding;
using ProgMp.Compiler.Interpretation;
using ProgMp.Compiler.Text;
using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Model;

namespace ProgMp.Compiler.Explanation;

/// <summary>
/// Turns one traced invocation into an indented, human-readable account: each statement reached with
/// its line, what each condition, VAR and lambda operation gave and why, what each action did, what a
/// NULL made the program skip, and what was put back at the end (docs/language.md, "progmp eval").
/// </summary>
/// <remarks>
/// Expression values are kept per statement, by node: the "why" of a condition or a FILTER element is
/// read from the values of its parts, visiting only parts the language's short-circuit rules evaluated,
/// so that no value left from an earlier loop pass or element is ever shown.
/// </remarks>
internal sealed partial class ExplainTracer : IInterpreterTracer
{
    // A FILTER over a long queue would bury the rest; the summary line still names every element.
    private const int MaxElementLines = 32;

    private readonly SourceText _text;
    private readonly SchedulerContext _context;
    private readonly List<string> _lines = [];
    private readonly Dictionary<BoundExpression, InterpreterValue> _values = new(ReferenceEqualityComparer.Instance);
    private readonly List<ExplainStatementFrame> _statements = [];
    private readonly List<ExplainLambdaFrame> _lambdas = [];
    private readonly Dictionary<Packet, (string Queue, int Line)> _pops = new(ReferenceEqualityComparer.Instance);
    private readonly int _gutter;
    private int? _returnLine;

    /// <summary>Starts the account with the state the invocation is about to see.</summary>
    public ExplainTracer(SourceText text, string schedulerName, SchedulerContext context)
    {
        _text = text;
        _context = context;
        _gutter = ExplainText.Number(text.GetPosition(text.Text.Length).Line).Length;
        _lines.Add($"scheduler {schedulerName} ({Path.GetFileName(text.Path)}), one invocation at CURRENT_TIME_MS {ExplainText.Number(context.NowMs)}");
        _lines.Add($"before: SUBFLOWS {ExplainText.Ids(context.Subflows)}, {Queues()}");
        _lines.Add("");
    }

    public IReadOnlyList<string> Lines => _lines;

    public void StatementStarting(BoundStatement statement)
    {
        _values.Clear();
        var depth = _statements.Count;
        var line = LineOf(statement.Span);
        _lines.Add($"{ExplainText.Number(line).PadLeft(_gutter)}  {Indent(depth)}{Header(statement)}");
        _statements.Add(new ExplainStatementFrame(statement, depth, _context.Actions.Length)
        {
            LabelLambdas = ExpressionsOf(statement).Sum(CountLambdas) > 1,
            RegisterBefore = statement is BoundSet set ? _context.Registers[set.Register] : 0,
            UsersBefore = statement is BoundSetUser ? (long[])_context.SubflowUser.Clone() : null,
        });

        if (statement is BoundReturn)
        {
            _returnLine = line;
            Detail(depth, "the invocation ends here");
        }
    }

    public void StatementFinished(BoundStatement statement)
    {
        var frame = _statements[^1];
        _statements.RemoveAt(_statements.Count - 1);
        switch (statement)
        {
            case BoundVar s:
                Detail(frame.Depth, $"{s.Symbol.Name} = {ExplainText.Show(Value(s.Initializer))}");
                break;
            case BoundVoid { Value: { } value }:
                Detail(frame.Depth, $"the value, {ExplainText.Show(Value(value))}, is discarded");
                break;
        }

        // Only the statements that act: an IF or FOREACH around them has told its actions already.
        if (statement is BoundPush or BoundDrop or BoundSet or BoundSetUser or BoundPrint)
        {
            var actions = _context.Actions;
            for (var i = frame.ActionsBefore; i < actions.Length; i++)
            {
                Detail(frame.Depth, Effect(actions[i], frame));
            }
        }
    }

    public void Evaluated(BoundExpression expression, in InterpreterValue value)
    {
        _values[expression] = value;
        switch (expression)
        {
            case BoundLambdaOperation operation:
                LambdaFinished(operation, value);
                break;
            case BoundListOperation { Operation: ListOperation.Pop } pop:
                Popped(pop, value);
                break;
        }

        if (_statements.Count == 0)
        {
            return;
        }

        var frame = _statements[^1];
        if (frame.Statement is BoundIf conditional && ReferenceEquals(conditional.Condition, expression))
        {
            Condition(frame.Depth, conditional, value);
        }
        else if (frame.Statement is BoundForeach loop && ReferenceEquals(loop.List, expression))
        {
            Detail(frame.Depth, value.IsNull ? "the list is NULL: no passes"
                : Count(value) == 0 ? $"over {ExplainText.Show(value)}: no passes"
                : $"over {ExplainText.Show(value)}");
        }
    }

    /// <summary>An IF's value, what follows from it, and why; several reasons get a line each.</summary>
    private void Condition(int depth, BoundIf statement, in InterpreterValue value)
    {
        var (shown, reasons) = Decided(statement.Condition);
        var outcome = value.IsTrue ? "" : statement.Else is null ? ", so the block is skipped" : ", so the ELSE branch runs";
        if (reasons.Count <= 1)
        {
            Detail(depth, reasons.Count == 0 ? shown.TrimEnd(',') + outcome : $"{shown} because {reasons[0]}{outcome}");
            return;
        }

        Detail(depth, $"{shown.TrimEnd(',')}{outcome}, because:");
        foreach (var reason in reasons)
        {
            Detail(depth + 1, reason);
        }
    }

    public void LambdaStarting(BoundLambdaOperation operation, in InterpreterValue list) =>
        _lambdas.Add(new ExplainLambdaFrame(operation, list));

    public void LambdaElement(BoundLambdaOperation operation, in InterpreterValue element, in InterpreterValue value)
    {
        // Only the outermost operation is told element by element; one inside its lambda shows up as a value.
        if (_lambdas.Count != 1)
        {
            return;
        }

        var frame = _lambdas[0];
        var reason = operation.Operation == LambdaOperation.Filter && !value.IsTrue && frame.Elements.Count < MaxElementLines
            ? Verdict(operation.Body)
            : null;
        frame.Elements.Add((element, value, reason));
    }

    public void ForeachIteration(BoundForeach statement, in InterpreterValue element) =>
        Detail(_statements[^1].Depth, $"{statement.Variable.Name} = {ExplainText.Show(element)}");

    public void NullSkipped(BoundStatement statement, BoundExpression nullExpression)
    {
        var frame = _statements[^1];
        var story = NullStory(nullExpression);
        Detail(frame.Depth, statement switch
        {
            BoundPush s when ReferenceEquals(s.Subflow, nullExpression) => $"nothing pushed: {story}, so {Text(s.Packet.Span)} is not evaluated",
            BoundPush => $"nothing pushed: {story}",
            BoundSetUser s when ReferenceEquals(s.Subflow, nullExpression) => $"no USER set: {story}, so {Text(s.Value.Span)} is not evaluated",
            BoundSetUser => $"no USER set: {story}",
            BoundDrop => $"nothing dropped: {story}",
            BoundSet s => $"R{s.Register + 1} stays {ExplainText.Number(frame.RegisterBefore)}: {story}",
            _ => $"nothing printed: {story}",
        });
    }

    /// <summary>Ends the account with what the invocation left behind, once the context has put back unused pops.</summary>
    public void Finish()
    {
        _lines.Add("");
        _lines.Add(_returnLine is { } line
            ? $"end: RETURN at line {ExplainText.Number(line)}"
            : "end: the program ran to its last statement");
        foreach (var packet in _context.PutBack)
        {
            var (queue, popLine) = _pops.TryGetValue(packet, out var pop) ? pop : ("its queue", 0);
            _lines.Add($"put back into {queue}: {ExplainText.Packet(packet)}, popped at line {ExplainText.Number(popLine)} but neither pushed nor dropped");
        }

        var actions = _context.Actions;
        _lines.Add(actions.Length == 0 ? "actions: none" : "actions:");
        for (var i = 0; i < actions.Length; i++)
        {
            _lines.Add($"  {ExplainText.Number(i + 1)}. {Summary(actions[i])}");
        }

        _lines.Add($"after: {Queues()}");
    }

    private void Popped(BoundListOperation pop, in InterpreterValue packet)
    {
        var list = Value(pop.List);
        var depth = _statements.Count == 0 ? 0 : _statements[^1].Depth;
        if (list.IsNull)
        {
            Detail(depth, "POP: the list is NULL, so NULL");
            return;
        }

        var packets = list.PacketList;
        var queue = ExplainText.Queue(packets.Kind == PacketListKind.Derived ? packets.PopSource?.Kind ?? PacketListKind.Derived : packets.Kind);
        if (packet.IsNull)
        {
            Detail(depth, $"POP: nothing to take from {queue}, so NULL");
            return;
        }

        _pops[packet.Packet] = (queue, LineOf(pop.Span));
        Detail(depth, $"POP takes {ExplainText.Packet(packet.Packet)} from {queue}");
    }

    private void LambdaFinished(BoundLambdaOperation operation, InterpreterValue result)
    {
        ExplainLambdaFrame? frame = null;
        if (_lambdas.Count > 0 && ReferenceEquals(_lambdas[^1].Operation, operation))
        {
            frame = _lambdas[^1];
            _lambdas.RemoveAt(_lambdas.Count - 1);
        }

        if (_lambdas.Count > 0 || _statements.Count == 0)
        {
            return;
        }

        var statement = _statements[^1];
        var depth = statement.Depth;
        var label = Label(operation, statement);
        if (frame is null)
        {
            // The list was NULL: the lambda never ran.
            Detail(depth, $"{label}: {NullStory(operation.List)}, so NULL");
            return;
        }

        var list = ExplainText.Show(frame.List);
        switch (operation.Operation)
        {
            case LambdaOperation.Filter:
                {
                    var kept = frame.Elements.Where(e => e.Value.IsTrue).Select(e => ExplainText.ShowBare(e.Element)).ToList();
                    var left = frame.Elements.Where(e => !e.Value.IsTrue).Select(e => ExplainText.ShowBare(e.Element)).ToList();
                    Detail(depth, $"{label} on {list}: kept [{string.Join(", ", kept)}]" + (left.Count == 0 ? "" : $", left out [{string.Join(", ", left)}]"));
                    Elements(depth, frame, e => e.Value.IsTrue ? "TRUE" : e.Reason ?? ExplainText.Show(e.Value));
                    break;
                }

            case LambdaOperation.Sum:
                Detail(depth, $"{label} on {list}: {ExplainText.Show(result)}");
                Elements(depth, frame, e => e.Value.IsNull ? "NULL, not counted" : ExplainText.Show(e.Value));
                break;

            default:
                {
                    var least = operation.Operation == LambdaOperation.Min;
                    var chosen = frame.Elements.FindIndex(e => InterpreterValue.AreEqual(e.Element, result));
                    var tie = chosen >= 0 && frame.Elements.Where((e, i) => i != chosen && InterpreterValue.AreEqual(e.Value, frame.Elements[chosen].Value)).Any();
                    var outcome = !result.IsNull ? ExplainText.Show(result)
                        : frame.Elements.Count == 0 ? "NULL, the list is empty"
                        : "NULL, the lambda is NULL for every element";
                    Detail(depth, $"{label} on {list}: {outcome}");
                    Elements(depth, frame, e =>
                    {
                        var text = ExplainText.Show(e.Value);
                        if (e.Value.IsNull)
                        {
                            return text + ", ignored";
                        }

                        if (!result.IsNull && InterpreterValue.AreEqual(e.Element, result))
                        {
                            return text + (least ? ", the least" : ", the greatest") + (tie ? " (the first of equal values)" : "");
                        }

                        return text;
                    });
                    break;
                }
        }
    }

    private void Elements(int depth, ExplainLambdaFrame frame, Func<(InterpreterValue Element, InterpreterValue Value, string? Reason), string> show)
    {
        var shown = Math.Min(frame.Elements.Count, MaxElementLines);
        for (var i = 0; i < shown; i++)
        {
            var element = frame.Elements[i];
            Detail(depth + 1, $"{ExplainText.Show(element.Element)}: {show(element)}");
        }

        if (frame.Elements.Count > shown)
        {
            Detail(depth + 1, $"... and {ExplainText.Number(frame.Elements.Count - shown)} more");
        }
    }

    private static string Effect(in SchedulerAction action, ExplainStatementFrame frame) => action.Kind switch
    {
        SchedulerActionKind.Push => $"pushed {ExplainText.Packet(action.Packet!)} on {ExplainText.Subflow(action.Subflow!)}",
        SchedulerActionKind.Drop => $"dropped {ExplainText.Packet(action.Packet!)}",
        SchedulerActionKind.Set => $"R{action.Register} = {ExplainText.Number(action.Value)} (was {ExplainText.Number(frame.RegisterBefore)})",
        SchedulerActionKind.SetUser => $"USER of {ExplainText.Subflow(action.Subflow!)} = {ExplainText.Number(action.Value)}"
            + (frame.UsersBefore is { } before ? $" (was {ExplainText.Number(before[action.Subflow!.Slot])})" : ""),
        _ => $"printed \"{action.Text}\"",
    };

    private static string Summary(in SchedulerAction action) => action.Kind switch
    {
        SchedulerActionKind.Push => $"push {ExplainText.Packet(action.Packet!)} on {ExplainText.Subflow(action.Subflow!)}",
        SchedulerActionKind.Drop => $"drop {ExplainText.Packet(action.Packet!)}",
        SchedulerActionKind.Set => $"set R{action.Register} to {ExplainText.Number(action.Value)}",
        SchedulerActionKind.SetUser => $"set USER of {ExplainText.Subflow(action.Subflow!)} to {ExplainText.Number(action.Value)}",
        _ => $"print \"{action.Text}\"",
    };

    private string Queues() =>
        $"Q {ExplainText.Seqs(_context.Q)}, QU {ExplainText.Seqs(_context.QU)}, RQ {ExplainText.Seqs(_context.RQ)}, R1..R6 {ExplainText.Registers(_context.Registers)}";

    private void Detail(int depth, string text) =>
        _lines.Add($"{new string(' ', _gutter)}  {Indent(depth + 1)}{text}");

    private static string Indent(int depth) => new(' ', 2 * depth);

    private int LineOf(TextSpan span) => _text.GetPosition(span.Start).Line;

    private static int Count(in InterpreterValue list) =>
        list.Kind == InterpreterValueKind.PacketList ? list.PacketList.Count : list.SubflowList.Count;
}
