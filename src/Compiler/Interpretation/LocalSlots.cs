using ProgMp.Compiler.Binding;

namespace ProgMp.Compiler.Interpretation;

/// <summary>
/// Gives every variable, FOREACH variable and lambda parameter of a program its own index in the
/// interpreter's frame. The language has no recursion, so one slot per symbol is enough, even for
/// nested lambdas and shadowed names (each declaration is its own symbol).
/// </summary>
internal static class LocalSlots
{
    public static Dictionary<LocalSymbol, int> Assign(BoundProgram program)
    {
        var slots = new Dictionary<LocalSymbol, int>(ReferenceEqualityComparer.Instance);
        Visit(program.Body, slots);
        return slots;
    }

    private static void Declare(LocalSymbol symbol, Dictionary<LocalSymbol, int> slots) =>
        slots.TryAdd(symbol, slots.Count);

    private static void Visit(BoundStatement statement, Dictionary<LocalSymbol, int> slots)
    {
        switch (statement)
        {
            case BoundBlock block:
                foreach (var inner in block.Statements)
                {
                    Visit(inner, slots);
                }

                break;
            case BoundVar s:
                Visit(s.Initializer, slots);
                Declare(s.Symbol, slots);
                break;
            case BoundIf s:
                Visit(s.Condition, slots);
                Visit(s.Then, slots);
                if (s.Else is not null)
                {
                    Visit(s.Else, slots);
                }

                break;
            case BoundForeach s:
                Visit(s.List, slots);
                Declare(s.Variable, slots);
                Visit(s.Body, slots);
                break;
            case BoundPush s:
                Visit(s.Subflow, slots);
                Visit(s.Packet, slots);
                break;
            case BoundSetUser s:
                Visit(s.Subflow, slots);
                Visit(s.Value, slots);
                break;
            case BoundDrop s:
                Visit(s.Packet, slots);
                break;
            case BoundSet s:
                Visit(s.Value, slots);
                break;
            case BoundPrint { Value: { } value }:
                Visit(value, slots);
                break;
            case BoundVoid { Value: { } value }:
                Visit(value, slots);
                break;
        }
    }

    private static void Visit(BoundExpression expression, Dictionary<LocalSymbol, int> slots)
    {
        switch (expression)
        {
            case BoundUnary e:
                Visit(e.Operand, slots);
                break;
            case BoundBinary e:
                Visit(e.Left, slots);
                Visit(e.Right, slots);
                break;
            case BoundPacketProperty e:
                Visit(e.Target, slots);
                break;
            case BoundSentOn e:
                Visit(e.Target, slots);
                Visit(e.Subflow, slots);
                break;
            case BoundSubflowProperty e:
                Visit(e.Target, slots);
                break;
            case BoundHasWindowFor e:
                Visit(e.Target, slots);
                Visit(e.Packet, slots);
                break;
            case BoundListOperation e:
                Visit(e.List, slots);
                if (e.Index is not null)
                {
                    Visit(e.Index, slots);
                }

                break;
            case BoundLambdaOperation e:
                Visit(e.List, slots);
                Declare(e.Parameter, slots);
                Visit(e.Body, slots);
                break;
        }
    }
}
