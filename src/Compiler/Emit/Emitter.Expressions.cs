using System.Linq.Expressions;
using ProgMp.Compiler.Binding;
using ProgMp.Compiler.Syntax;
using ProgMp.Runtime.Model;

namespace ProgMp.Compiler.Emit;

internal sealed partial class Emitter
{
    /// <summary>An expression of its natural run-time type (see <see cref="ClrType(BoundExpression)"/>).</summary>
    private Expression Emit(BoundExpression expression)
    {
        EnsureStack();
        return expression switch
        {
            BoundIntegerLiteral e => Expression.Constant(e.Value),
            BoundBooleanLiteral e => Expression.Constant(e.Value),
            BoundNullLiteral => Expression.Constant(null, typeof(object)),
            BoundLocal e => Local(e.Symbol),
            BoundRegister e => Expression.ArrayIndex(Expression.Field(_context, Members.Registers), Expression.Constant(e.Index)),
            BoundQueue e => Expression.Field(_context, e.Queue switch
            {
                PacketListKind.Q => Members.Q,
                PacketListKind.QU => Members.QU,
                _ => Members.RQ,
            }),
            BoundSubflows => Expression.Field(_context, Members.Subflows),
            BoundCurrentTime => Expression.Field(_context, Members.NowMs),
            BoundRandom => Expression.Call(_context, Members.NextRandom),
            BoundUnary e => EmitUnary(e),
            BoundBinary e => EmitBinary(e),
            BoundPacketProperty e => Member(e.Target, ClrType(e), target => e.Property switch
            {
                PacketProperty.Seq => Expression.Field(target, Members.PacketSeq),
                PacketProperty.Length => Expression.Field(target, Members.PacketLength),
                PacketProperty.User => Expression.Field(target, Members.PacketUser),
                PacketProperty.Psh => Expression.Field(target, Members.PacketPsh),
                _ => Expression.Call(_context, Members.SentOnAll, target),
            }),
            BoundSentOn e => Member(e.Target, ClrType(e), target => Argument(e.Subflow, ClrType(e), subflow =>
                Expression.NotEqual(
                    Expression.And(Expression.Field(target, Members.PacketSentOnMask), Expression.Field(subflow, Members.SubflowBit)),
                    Expression.Constant(0UL)))),
            BoundSubflowProperty e => Member(e.Target, ClrType(e), target => SubflowProperty(target, e.Property)),
            BoundHasWindowFor e => Member(e.Target, ClrType(e), target => Argument(e.Packet, ClrType(e), packet =>
                Expression.LessThanOrEqual(
                    Expression.Field(packet, Members.PacketLength),
                    Expression.Field(target, Members.SubflowWindow)))),
            BoundListOperation e => EmitListOperation(e),
            BoundLambdaOperation e => EmitLambdaOperation(e),
            _ => throw new InvalidOperationException($"Unexpected expression {expression.GetType().Name}."),
        };
    }

    /// <summary>The expression as <paramref name="type"/>: widens <c>long</c> to <c>long?</c>, and NULL to any type.</summary>
    private Expression EmitAs(BoundExpression expression, Type type)
    {
        if (expression.Type == BoundType.Null)
        {
            var nothing = Expression.Constant(null, type);
            return expression is BoundNullLiteral ? nothing : Expression.Block(Emit(expression), nothing);
        }

        var emitted = Emit(expression);
        return emitted.Type == type ? emitted : Expression.Convert(emitted, type);
    }

    /// <summary>A boolean for IF, AND, OR and FILTER: NULL counts as FALSE.</summary>
    private Expression Condition(BoundExpression expression)
    {
        if (expression.Type == BoundType.Null)
        {
            return Expression.Block(Emit(expression), Expression.Constant(false));
        }

        var emitted = Emit(expression);
        return emitted.Type == typeof(bool?)
            ? ViaTemporary(emitted, value => Expression.Call(value, typeof(bool?).GetMethod(nameof(Nullable<>.GetValueOrDefault), Type.EmptyTypes)!))
            : emitted;
    }

    /// <summary>
    /// Evaluates <paramref name="value"/> into a variable before <paramref name="use"/> reads a member of
    /// it: the expression compiler cannot take a member of a <c>Nullable&lt;T&gt;</c> value computed by an
    /// expression that contains loops (the inlined FILTER, MIN, MAX and SUM).
    /// </summary>
    private static BlockExpression ViaTemporary(Expression value, Func<Expression, Expression> use)
    {
        var temporary = Expression.Variable(value.Type);
        var body = use(temporary);
        return Expression.Block(body.Type, [temporary], Expression.Assign(temporary, value), body);
    }

    private Expression EmitUnary(BoundUnary expression)
    {
        var type = ClrType(expression);
        if (expression.Operand.Type == BoundType.Null)
        {
            return EmitAs(expression.Operand, type);
        }

        var operand = EmitAs(expression.Operand, type);
        return expression.Operator == UnaryOperator.Not ? Expression.Not(operand) : Expression.Negate(operand);
    }

    private Expression EmitBinary(BoundBinary expression)
    {
        var left = expression.Left;
        var right = expression.Right;
        switch (expression.Operator)
        {
            case BinaryOperator.And:
                return Expression.AndAlso(Condition(left), Condition(right));
            case BinaryOperator.Or:
                return Expression.OrElse(Condition(left), Condition(right));
            case BinaryOperator.Equal:
                return EmitEquality(left, right);
            case BinaryOperator.NotEqual:
                return Expression.Not(EmitEquality(left, right));
            case BinaryOperator.Divide or BinaryOperator.Modulo:
                return EmitDivision(expression);
        }

        // + - * and ordering: plain when neither side can be NULL, lifted (NULL in, NULL out) otherwise.
        var operandType = left.MayBeNull || right.MayBeNull ? typeof(long?) : typeof(long);
        var l = EmitAs(left, operandType);
        var r = EmitAs(right, operandType);
        var lifted = operandType == typeof(long?);
        return expression.Operator switch
        {
            BinaryOperator.Add => Expression.Add(l, r),
            BinaryOperator.Subtract => Expression.Subtract(l, r),
            BinaryOperator.Multiply => Expression.Multiply(l, r),
            BinaryOperator.Less => Expression.LessThan(l, r, lifted, null),
            BinaryOperator.LessOrEqual => Expression.LessThanOrEqual(l, r, lifted, null),
            BinaryOperator.Greater => Expression.GreaterThan(l, r, lifted, null),
            _ => Expression.GreaterThanOrEqual(l, r, lifted, null),
        };
    }

    private Expression EmitDivision(BoundBinary expression)
    {
        var op = expression.Operator;
        if (!expression.MayBeNull && expression.Right is BoundIntegerLiteral { Value: var divisor })
        {
            // A constant divisor that is not 0: plain code, with the two cases .NET would throw on.
            var dividend = EmitAs(expression.Left, typeof(long));
            return (op, divisor) switch
            {
                (BinaryOperator.Divide, -1) => Expression.Negate(dividend),
                (BinaryOperator.Modulo, -1) => Expression.Block(dividend, Expression.Constant(0L)),
                (BinaryOperator.Divide, _) => Expression.Divide(dividend, Expression.Constant(divisor)),
                _ => Expression.Modulo(dividend, Expression.Constant(divisor)),
            };
        }

        return Expression.Call(
            op == BinaryOperator.Divide ? Members.Divide : Members.Modulo,
            EmitAs(expression.Left, typeof(long?)),
            EmitAs(expression.Right, typeof(long?)));
    }

    /// <summary>== never gives NULL: NULL equals NULL and nothing else; subflows and packets compare by identity.</summary>
    private Expression EmitEquality(BoundExpression left, BoundExpression right)
    {
        if (left.Type == BoundType.Null && right.Type == BoundType.Null)
        {
            return Expression.Block(Emit(left), Emit(right), Expression.Constant(true));
        }

        if (left.Type == BoundType.Null || right.Type == BoundType.Null)
        {
            var (nullSide, value, nullFirst) = left.Type == BoundType.Null ? (left, right, true) : (right, left, false);
            var emitted = Emit(value);
            Expression isNull = emitted.Type.IsValueType
                ? IsNullable(emitted.Type)
                    ? ViaTemporary(emitted, v => Expression.Not(Expression.Property(v, emitted.Type.GetProperty(nameof(Nullable<>.HasValue))!)))
                    : Expression.Block(emitted, Expression.Constant(false))
                : Expression.ReferenceEqual(emitted, Expression.Constant(null, emitted.Type));
            if (nullSide is BoundNullLiteral)
            {
                return isNull;
            }

            // A variable of the NULL type: evaluate it in order, though it has no effects.
            var other = Emit(nullSide);
            return nullFirst ? Expression.Block(other, isNull) : Expression.Block(typeof(bool), isNull, other, isNull);
        }

        if (left.Type is BoundType.Integer or BoundType.Boolean)
        {
            var type = left.MayBeNull || right.MayBeNull ? ClrType(left.Type, true) : ClrType(left.Type, false);
            return Expression.Equal(EmitAs(left, type), EmitAs(right, type), false, null);
        }

        return Expression.ReferenceEqual(Emit(left), Emit(right));
    }

    private Expression SubflowProperty(Expression subflow, SubflowProperty property) => property switch
    {
        Binding.SubflowProperty.User => Expression.Call(_context, Members.GetUser, subflow),
        Binding.SubflowProperty.RttMs => Expression.Divide(Expression.Field(subflow, Members.SubflowField(nameof(SubflowView.Rtt))), Expression.Constant(1000L)),
        _ => Expression.Field(subflow, Members.SubflowField(property switch
        {
            Binding.SubflowProperty.Id => nameof(SubflowView.Id),
            Binding.SubflowProperty.Rtt => nameof(SubflowView.Rtt),
            Binding.SubflowProperty.RttVar => nameof(SubflowView.RttVar),
            Binding.SubflowProperty.DelayOut => nameof(SubflowView.DelayOut),
            Binding.SubflowProperty.DelayIn => nameof(SubflowView.DelayIn),
            Binding.SubflowProperty.Cwnd => nameof(SubflowView.Cwnd),
            Binding.SubflowProperty.Ssthresh => nameof(SubflowView.Ssthresh),
            Binding.SubflowProperty.SkbsInFlight => nameof(SubflowView.InFlight),
            Binding.SubflowProperty.Queued => nameof(SubflowView.Queued),
            Binding.SubflowProperty.LostSkbs => nameof(SubflowView.Lost),
            Binding.SubflowProperty.BwOutSend => nameof(SubflowView.BwOutSend),
            Binding.SubflowProperty.BwOutAck => nameof(SubflowView.BwOutAck),
            Binding.SubflowProperty.IsBackup => nameof(SubflowView.IsBackup),
            Binding.SubflowProperty.Throttled => nameof(SubflowView.Throttled),
            _ => nameof(SubflowView.Lossy),
        })),
    };

    /// <summary>
    /// A property or call on <paramref name="target"/>: when the target can be NULL, the result is NULL
    /// and <paramref name="access"/> (arguments included) is not evaluated. The same rule as for an
    /// argument that is NULL.
    /// </summary>
    private Expression Member(BoundExpression target, Type resultType, Func<Expression, Expression> access) =>
        Argument(target, resultType, access);

    /// <summary>An argument that makes the call NULL when it is NULL (<c>p.SENT_ON(NULL)</c>).</summary>
    private Expression Argument(BoundExpression argument, Type resultType, Func<Expression, Expression> use)
    {
        if (argument.Type == BoundType.Null)
        {
            return Expression.Constant(null, resultType);
        }

        var emitted = Emit(argument);
        if (!argument.MayBeNull)
        {
            return EvaluatedFirst(emitted, resultType, value => Widen(use(value), resultType));
        }

        var temporary = Expression.Variable(emitted.Type);
        Expression isNull;
        Expression usable;
        if (IsNullable(emitted.Type))
        {
            isNull = Expression.Not(Expression.Property(temporary, nameof(Nullable<>.HasValue)));
            usable = Expression.Property(temporary, nameof(Nullable<>.Value));
        }
        else
        {
            isNull = Expression.ReferenceEqual(temporary, Expression.Constant(null, emitted.Type));
            usable = temporary;
        }

        return Expression.Block(
            resultType,
            [temporary],
            Expression.Assign(temporary, emitted),
            Expression.Condition(isNull, Expression.Constant(null, resultType), Widen(use(usable), resultType)));
    }

    /// <summary>
    /// Evaluates <paramref name="value"/> once, before anything <paramref name="use"/> adds, and hands
    /// <paramref name="use"/> its result. Without this, a use that reads the value twice (FILTER rents
    /// from its list, then loops over it) would evaluate it twice, and one that evaluates an argument
    /// first would break "target first, then arguments": both change how many RANDOM values a FILTER
    /// lambda draws, and in which order.
    /// </summary>
    private static BlockExpression EvaluatedFirst(Expression value, Type resultType, Func<Expression, Expression> use)
    {
        if (IsPlainRead(value))
        {
            return Expression.Block(resultType, use(value));
        }

        var temporary = Expression.Variable(value.Type);
        return Expression.Block(resultType, [temporary], Expression.Assign(temporary, value), use(temporary));
    }

    /// <summary>A read with no effects that may be repeated or moved: a variable, a constant, a field of a variable.</summary>
    private static bool IsPlainRead(Expression expression) =>
        expression is ParameterExpression or ConstantExpression or MemberExpression { Expression: ParameterExpression };

    private static Expression Widen(Expression expression, Type type) =>
        expression.Type == type ? expression : Expression.Convert(expression, type);
}
