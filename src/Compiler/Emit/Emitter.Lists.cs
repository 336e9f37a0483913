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
        if (operation.Operation != LambdaOperation.Filter
            && operation.List is BoundLambdaOperation { Operation: LambdaOperation.Filter } filter
            && !(Contains(filter.Body, IsRandom) && Contains(operation.Body, IsRandom)))
        {
            // MIN, MAX or SUM of a FILTER written in place: one loop over the FILTER's list that
            // reduces the elements the FILTER keeps, with no list in between. The lambdas then run
            // interleaved rather than one after the other, which nothing can observe unless both draw
            // RANDOM (the only effect an expression has): then the two loops stay.
            return Member(filter.List, resultType, list => operation.Operation == LambdaOperation.Sum
                ? EmitSum(operation, list, filter)
                : EmitMinMax(operation, list, filter));
        }

        return Member(operation.List, resultType, list => operation.Operation switch
        {
            LambdaOperation.Filter => EmitFilter(operation, list),
            LambdaOperation.Sum => EmitSum(operation, list, filter: null),
            _ => EmitMinMax(operation, list, filter: null),
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
            EmitLoop(list, false, element, body, restoreArena: Contains(operation.Body, IsFilter)),
            result);
    }

    private BlockExpression EmitSum(BoundLambdaOperation operation, Expression list, BoundLambdaOperation? filter)
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
            EmitReductionLoop(list, operation, filter, body),
            total);
    }

    /// <summary>The first element with the least (greatest) value, ignoring NULL values; NULL if none.</summary>
    private BlockExpression EmitMinMax(BoundLambdaOperation operation, Expression list, BoundLambdaOperation? filter)
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
            EmitReductionLoop(list, operation, filter, body),
            best);
    }

    /// <summary>
    /// The loop of MIN, MAX or SUM, running <paramref name="body"/> for each element: of
    /// <paramref name="list"/> itself, or, with a <paramref name="filter"/> fused in, of the FILTER's
    /// list for each element its lambda keeps.
    /// </summary>
    private BlockExpression EmitReductionLoop(Expression list, BoundLambdaOperation operation, BoundLambdaOperation? filter, Expression body)
    {
        var element = Local(operation.Parameter);
        if (filter is null)
        {
            return EmitLoop(list, false, element, body, restoreArena: Contains(operation.Body, IsFilter));
        }

        var candidate = Local(filter.Parameter);
        var pass = Expression.IfThen(
            Condition(filter.Body),
            Expression.Block(typeof(void), Expression.Assign(element, candidate), body));
        return EmitLoop(list, false, candidate, pass, restoreArena: Contains(filter.Body, IsFilter) || Contains(operation.Body, IsFilter));
    }

    /// <summary>A FILTER rents its result from the arena.</summary>
    private static bool IsFilter(BoundExpression expression) => expression is BoundLambdaOperation { Operation: LambdaOperation.Filter };

    private static bool IsRandom(BoundExpression expression) => expression is BoundRandom;

    /// <summary>True when <paramref name="expression"/> or any expression inside it matches.</summary>
    private static bool Contains(BoundExpression expression, Func<BoundExpression, bool> match) => match(expression) || expression switch
    {
        BoundLambdaOperation e => Contains(e.List, match) || Contains(e.Body, match),
        BoundUnary e => Contains(e.Operand, match),
        BoundBinary e => Contains(e.Left, match) || Contains(e.Right, match),
        BoundPacketProperty e => Contains(e.Target, match),
        BoundSentOn e => Contains(e.Target, match) || Contains(e.Subflow, match),
        BoundSubflowProperty e => Contains(e.Target, match),
        BoundHasWindowFor e => Contains(e.Target, match) || Contains(e.Packet, match),
        BoundListOperation e => Contains(e.List, match) || (e.Index is not null && Contains(e.Index, match)),
        _ => false,
    };
}
