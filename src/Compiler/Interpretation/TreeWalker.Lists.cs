using ProgMp.Compiler.Binding;
using ProgMp.Runtime.Model;

namespace ProgMp.Compiler.Interpretation;

internal sealed partial class TreeWalker
{
    /// <summary>COUNT, EMPTY, TOP, GET(i) and POP() (LANGUAGE.md, "List operations").</summary>
    private InterpreterValue EvaluateListOperation(BoundListOperation operation)
    {
        var list = Evaluate(operation.List);
        if (list.IsNull)
        {
            return InterpreterValue.Null;
        }

        switch (operation.Operation)
        {
            case ListOperation.Pop:
                // Takes from the queue itself, also through a FILTER chain: the context knows the queue
                // behind a FILTER result, records the pop and puts the packet back if it goes unused.
                return InterpreterValue.FromPacket(_context.Pop(list.PacketList));
            case ListOperation.Count:
                return InterpreterValue.FromInteger(CountOf(list));
            case ListOperation.Empty:
                return InterpreterValue.FromBoolean(CountOf(list) == 0);
            case ListOperation.Top:
                return ElementAt(list, 0);
            case ListOperation.Get:
                {
                    var index = Evaluate(operation.Index!);
                    return index.IsNull ? InterpreterValue.Null : ElementAt(list, index.Integer);
                }

            default:
                throw new InvalidOperationException($"No list operation {operation.Operation}.");
        }
    }

    /// <summary>
    /// FILTER, MIN, MAX, SUM: the lambda is evaluated on every element, in list order, whatever the
    /// results so far (this fixes how many RANDOM values are drawn).
    /// </summary>
    private InterpreterValue EvaluateLambdaOperation(BoundLambdaOperation operation)
    {
        var list = Evaluate(operation.List);
        if (list.IsNull)
        {
            return InterpreterValue.Null;
        }

        _tracer?.LambdaStarting(operation, list);
        var count = CountOf(list);
        switch (operation.Operation)
        {
            case LambdaOperation.Filter:
                return Filter(operation, list, count);

            case LambdaOperation.Sum:
                {
                    // NULL values are skipped; an empty list sums to 0; the sum wraps.
                    var total = 0L;
                    for (var i = 0; i < count; i++)
                    {
                        var value = Apply(operation, list, i);
                        if (!value.IsNull)
                        {
                            total = unchecked(total + value.Integer);
                        }
                    }

                    return InterpreterValue.FromInteger(total);
                }

            default:
                {
                    // The element with the least (greatest) value; NULL values are ignored; on a tie the
                    // first one in list order; NULL when no element has a value.
                    var isMin = operation.Operation == LambdaOperation.Min;
                    var best = -1;
                    var bestValue = 0L;
                    for (var i = 0; i < count; i++)
                    {
                        var value = Apply(operation, list, i);
                        if (value.IsNull)
                        {
                            continue;
                        }

                        var v = value.Integer;
                        if (best < 0 || (isMin ? v < bestValue : v > bestValue))
                        {
                            best = i;
                            bestValue = v;
                        }
                    }

                    return best < 0 ? InterpreterValue.Null : ElementAt(list, best);
                }
        }
    }

    private InterpreterValue Filter(BoundLambdaOperation operation, InterpreterValue list, int count)
    {
        if (list.Kind == InterpreterValueKind.PacketList)
        {
            // The result remembers the queue it came from, so that POP() on it takes from that queue.
            var packets = list.PacketList;
            var kept = _context.RentFiltered(packets);
            for (var i = 0; i < count; i++)
            {
                if (Apply(operation, list, i).IsTrue)
                {
                    kept.Add(packets.ItemAt(i));
                }
            }

            return InterpreterValue.FromPacketList(kept);
        }

        var subflows = list.SubflowList;
        var keptSubflows = _context.RentSubflows();
        for (var i = 0; i < count; i++)
        {
            if (Apply(operation, list, i).IsTrue)
            {
                keptSubflows.Add(subflows.ItemAt(i));
            }
        }

        return InterpreterValue.FromSubflowList(keptSubflows);
    }

    /// <summary>The lambda's body with its parameter bound to the i-th element.</summary>
    private InterpreterValue Apply(BoundLambdaOperation operation, InterpreterValue list, int index)
    {
        var element = ElementAt(list, index);
        Assign(operation.Parameter, element);
        var value = Evaluate(operation.Body);
        _tracer?.LambdaElement(operation, element, value);
        return value;
    }

    private static int CountOf(InterpreterValue list) =>
        list.Kind == InterpreterValueKind.PacketList ? list.PacketList.Count : list.SubflowList.Count;

    /// <summary>The i-th element, NULL when <paramref name="index"/> is negative or past the end.</summary>
    private static InterpreterValue ElementAt(InterpreterValue list, long index)
    {
        if (list.Kind == InterpreterValueKind.PacketList)
        {
            var packets = list.PacketList;
            return index >= 0 && index < packets.Count ? InterpreterValue.FromPacket(packets.ItemAt((int)index)) : InterpreterValue.Null;
        }

        var subflows = list.SubflowList;
        return index >= 0 && index < subflows.Count ? InterpreterValue.FromSubflow(subflows.ItemAt((int)index)) : InterpreterValue.Null;
    }
}
