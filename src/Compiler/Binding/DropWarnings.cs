using ProgMp.Compiler.Diagnostics;
using ProgMp.Runtime.Model;

namespace ProgMp.Compiler.Binding;

/// <summary>
/// ProgMP's documented pitfall (LANGUAGE.md, warnings): a DROP of a packet taken from Q that nothing in
/// the program pushes, neither as <c>Q.TOP</c> before the drop nor through a variable holding it
/// (a variable set from <c>Q.TOP</c>, or the very variable that took the popped packet).
/// </summary>
internal static class DropWarnings
{
    public static void Report(BoundBlock program, DiagnosticBag diagnostics)
    {
        var pushes = new List<BoundPush>();
        var drops = new List<BoundDrop>();
        Collect(program, pushes, drops);
        foreach (var drop in drops)
        {
            var packet = drop.Packet;
            var fromQ = IsPopFromQ(packet) || packet is BoundLocal { Symbol.HoldsPacketPoppedFromQ: true };
            if (!fromQ)
            {
                continue;
            }

            var pushed = false;
            foreach (var push in pushes)
            {
                var pushesTop = (IsTopOfQ(push.Packet) && push.Span.Start < drop.Span.Start)
                    || push.Packet is BoundLocal { Symbol.HoldsTopOfQ: true };
                var pushesSameVariable = packet is BoundLocal local && push.Packet is BoundLocal pushedLocal && pushedLocal.Symbol == local.Symbol;
                if (pushesTop || pushesSameVariable)
                {
                    pushed = true;
                    break;
                }
            }

            if (!pushed)
            {
                diagnostics.Report(DiagnosticDescriptors.DropOfUnsentPacket, drop.Span);
            }
        }
    }

    /// <summary><c>Q.POP()</c> or <c>Q.FILTER(...)...POP()</c>.</summary>
    public static bool IsPopFromQ(BoundExpression expression) =>
        expression is BoundListOperation { Operation: ListOperation.Pop } pop && IsChainOfQ(pop.List);

    public static bool IsTopOfQ(BoundExpression expression) =>
        expression is BoundListOperation { Operation: ListOperation.Top } top && IsChainOfQ(top.List);

    private static bool IsChainOfQ(BoundExpression list)
    {
        while (list is BoundLambdaOperation { Operation: LambdaOperation.Filter } filter)
        {
            list = filter.List;
        }

        return list is BoundQueue { Queue: PacketListKind.Q };
    }

    private static void Collect(BoundStatement statement, List<BoundPush> pushes, List<BoundDrop> drops)
    {
        switch (statement)
        {
            case BoundBlock block:
                foreach (var inner in block.Statements)
                {
                    Collect(inner, pushes, drops);
                }

                break;
            case BoundIf conditional:
                Collect(conditional.Then, pushes, drops);
                if (conditional.Else is not null)
                {
                    Collect(conditional.Else, pushes, drops);
                }

                break;
            case BoundForeach loop:
                Collect(loop.Body, pushes, drops);
                break;
            case BoundPush push:
                pushes.Add(push);
                break;
            case BoundDrop drop:
                drops.Add(drop);
                break;
        }
    }
}
