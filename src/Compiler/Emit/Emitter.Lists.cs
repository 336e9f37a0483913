using System.Linq.Expressions;
using ProgMp.Compiler.Binding;
using ProgMp.Runtime.Model;

namespace ProgMp.Compiler.Emit;

internal sealed partial class Emitter
{
    private Expression EmitListOperation(BoundListOperation operation)
    {
        var isPackets = operation.List.Type == BoundType.PacketList;
        var resultType = ClrType(operation);
        switch (operation.Operation)
        {
            case ListOperation.Pop:
                return Expression.Call(_context, Members.Pop, Emit(operation.List));
            case ListOperation.Count:
                return Member(operation.List, resultType, list =>
                    Expression.Convert(Expression.Property(list, isPackets ? Members.PacketCount : Members.SubflowCount), typeof(long)));
            case ListOperation.Empty:
                return Member(operation.List, resultType, list =>
                    Expression.Property(list, isPackets ? Members.PacketIsEmpty : Members.SubflowIsEmpty));
            case ListOperation.Top:
                return Member(operation.List, resultType, list => Expression.Property(list, Members.PacketTop));
            default:
                return Member(operation.List, resultType, list => Argument(operation.Index!, resultType, index =>
                    Expression.Call(list, isPackets ? Members.PacketGet : Members.SubflowGet, index)));
        }
    }

    private Expression EmitLambdaOperation(BoundLambdaOperation operation)
    {
        var resultType = ClrType(operation);
        return Member(operation.List, resultType, list => operation.Operation switch
        {
            LambdaOperation.Filter => EmitFilter(operation, list),
            LambdaOperation.Sum => EmitSum(operation, list),
            _ => EmitMinMax(operation, list),
        });
    }

    private BlockExpression EmitFilter(BoundLambdaOperation operation, Expression list)
    {
        var isPackets = list.Type == typeof(PacketList);
        var result = Expression.Variable(list.Type, "filtered");
        var element = Local(operation.Parameter);
        var rent = isPackets
            ? Expression.Call(_context, Members.RentFiltered, list)
            : Expression.Call(_context, Members.RentSubflows);

        // The list is rented before the loop, so the arena reset after each pass keeps it.
        var body = Expression.IfThen(
            Condition(operation.Body),
            Expression.Call(result, isPackets ? Members.PacketAdd : Members.SubflowAdd, element));
        return Expression.Block(
            list.Type,
            [result],
            Expression.Assign(result, rent),
            EmitLoop(list, false, element, body, restoreArena: RentsArena(operation.Body)),
            result);
    }

    private BlockExpression EmitSum(BoundLambdaOperation operation, Expression list)
    {
        var total = Expression.Variable(typeof(long), "total");
        var element = Local(operation.Parameter);
        Expression body;
        if (operation.Body.Type == BoundType.Null)
        {
            body = Expression.Block(typeof(void), Emit(operation.Body));
        }
        else if (operation.Body.MayBeNull)
        {
            var value = Expression.Variable(typeof(long?), "value");
            body = Expression.Block(
                typeof(void),
                [value],
                Expression.Assign(value, EmitAs(operation.Body, typeof(long?))),
                Expression.IfThen(
                    Expression.Property(value, nameof(Nullable<>.HasValue)),
                    Expression.AddAssign(total, Expression.Property(value, nameof(Nullable<>.Value)))));
        }
        else
        {
            body = Expression.AddAssign(total, Emit(operation.Body));
        }

        return Expression.Block(
            typeof(long),
            [total],
            Expression.Assign(total, Expression.Constant(0L)),
            EmitLoop(list, false, element, body, restoreArena: RentsArena(operation.Body)),
            total);
    }

    /// <summary>The first element with the least (greatest) value, ignoring NULL values; NULL if none.</summary>
    private BlockExpression EmitMinMax(BoundLambdaOperation operation, Expression list)
    {
        var isMax = operation.Operation == LambdaOperation.Max;
        var element = Local(operation.Parameter);
        var best = Expression.Variable(element.Type, "best");
        var bestValue = Expression.Variable(typeof(long), "bestValue");
        var noBest = Expression.ReferenceEqual(best, Expression.Constant(null, element.Type));

        Expression Better(Expression value) => Expression.OrElse(
            noBest,
            isMax ? Expression.GreaterThan(value, bestValue) : Expression.LessThan(value, bestValue));

        Expression Take(Expression value) => Expression.Block(
            typeof(void),
            Expression.Assign(best, element),
            Expression.Assign(bestValue, value));

        Expression body;
        if (operation.Body.Type == BoundType.Null)
        {
            body = Expression.Block(typeof(void), Emit(operation.Body));
        }
        else if (operation.Body.MayBeNull)
        {
            var value = Expression.Variable(typeof(long?), "value");
            var plain = Expression.Property(value, nameof(Nullable<>.Value));
            body = Expression.Block(
                typeof(void),
                [value],
                Expression.Assign(value, EmitAs(operation.Body, typeof(long?))),
                Expression.IfThen(
                    Expression.AndAlso(Expression.Property(value, nameof(Nullable<>.HasValue)), Better(plain)),
                    Take(plain)));
        }
        else
        {
            var value = Expression.Variable(typeof(long), "value");
            body = Expression.Block(
                typeof(void),
                [value],
                Expression.Assign(value, Emit(operation.Body)),
                Expression.IfThen(Better(value), Take(value)));
        }

        return Expression.Block(
            element.Type,
            [best, bestValue],
            Expression.Assign(best, Expression.Constant(null, element.Type)),
            Expression.Assign(bestValue, Expression.Constant(0L)),
            EmitLoop(list, false, element, body, restoreArena: RentsArena(operation.Body)),
            best);
    }

    /// <summary>True when evaluating the expression may rent a list from the arena (a FILTER inside).</summary>
    private static bool RentsArena(BoundExpression expression) => expression switch
    {
        BoundLambdaOperation { Operation: LambdaOperation.Filter } => true,
        BoundLambdaOperation e => RentsArena(e.List) || RentsArena(e.Body),
        BoundUnary e => RentsArena(e.Operand),
        BoundBinary e => RentsArena(e.Left) || RentsArena(e.Right),
        BoundPacketProperty e => RentsArena(e.Target),
        BoundSentOn e => RentsArena(e.Target) || RentsArena(e.Subflow),
        BoundSubflowProperty e => RentsArena(e.Target),
        BoundHasWindowFor e => RentsArena(e.Target) || RentsArena(e.Packet),
        BoundListOperation e => RentsArena(e.List) || (e.Index is not null && RentsArena(e.Index)),
        _ => false,
    };
}
