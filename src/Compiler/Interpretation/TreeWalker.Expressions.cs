using System.Runtime.CompilerServices;
using ProgMp.Compiler.Binding;
using ProgMp.Compiler.Syntax;
using ProgMp.Runtime.Model;

namespace ProgMp.Compiler.Interpretation;

internal sealed partial class TreeWalker
{
    /// <summary>Evaluates an expression, operands left to right (LANGUAGE.md, "Expressions" and "NULL").</summary>
    private InterpreterValue Evaluate(BoundExpression expression)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        var value = expression switch
        {
            BoundIntegerLiteral e => InterpreterValue.FromInteger(e.Value),
            BoundBooleanLiteral e => InterpreterValue.FromBoolean(e.Value),
            BoundNullLiteral => InterpreterValue.Null,
            BoundLocal e => Read(e.Symbol),
            BoundRegister e => InterpreterValue.FromInteger(_context.Registers[e.Index]),
            BoundQueue e => InterpreterValue.FromPacketList(e.Queue switch
            {
                PacketListKind.Q => _context.Q,
                PacketListKind.QU => _context.QU,
                PacketListKind.RQ => _context.RQ,
                _ => throw new InvalidOperationException($"No queue {e.Queue}."),
            }),
            BoundSubflows => InterpreterValue.FromSubflowList(_context.Subflows),
            BoundCurrentTime => InterpreterValue.FromInteger(_context.NowMs),
            BoundRandom => InterpreterValue.FromInteger(_context.NextRandom()),
            BoundUnary e => EvaluateUnary(e),
            BoundBinary e => EvaluateBinary(e),
            BoundPacketProperty e => EvaluatePacketProperty(e),
            BoundSentOn e => EvaluateSentOn(e),
            BoundSubflowProperty e => EvaluateSubflowProperty(e),
            BoundHasWindowFor e => EvaluateHasWindowFor(e),
            BoundListOperation e => EvaluateListOperation(e),
            BoundLambdaOperation e => EvaluateLambdaOperation(e),
            _ => throw new InvalidOperationException($"The interpreter has no rule for {expression.GetType().Name}."),
        };
        _tracer?.Evaluated(expression, value);
        return value;
    }

    /// <summary><c>!NULL</c> and <c>-NULL</c> are NULL; negation wraps.</summary>
    private InterpreterValue EvaluateUnary(BoundUnary expression)
    {
        var operand = Evaluate(expression.Operand);
        if (operand.IsNull)
        {
            return InterpreterValue.Null;
        }

        return expression.Operator == UnaryOperator.Not
            ? InterpreterValue.FromBoolean(!operand.Boolean)
            : InterpreterValue.FromInteger(unchecked(0 - operand.Integer));
    }

    private InterpreterValue EvaluateBinary(BoundBinary expression)
    {
        switch (expression.Operator)
        {
            case BinaryOperator.And:
                // Short-circuit; NULL counts as FALSE on either side.
                return InterpreterValue.FromBoolean(Evaluate(expression.Left).IsTrue && Evaluate(expression.Right).IsTrue);
            case BinaryOperator.Or:
                return InterpreterValue.FromBoolean(Evaluate(expression.Left).IsTrue || Evaluate(expression.Right).IsTrue);
        }

        var left = Evaluate(expression.Left);
        var right = Evaluate(expression.Right);
        switch (expression.Operator)
        {
            case BinaryOperator.Equal:
                return InterpreterValue.FromBoolean(InterpreterValue.AreEqual(left, right));
            case BinaryOperator.NotEqual:
                return InterpreterValue.FromBoolean(!InterpreterValue.AreEqual(left, right));
        }

        // Arithmetic and ordering: a NULL operand gives NULL.
        if (left.IsNull || right.IsNull)
        {
            return InterpreterValue.Null;
        }

        var a = left.Integer;
        var b = right.Integer;
        return expression.Operator switch
        {
            BinaryOperator.Add => InterpreterValue.FromInteger(unchecked(a + b)),
            BinaryOperator.Subtract => InterpreterValue.FromInteger(unchecked(a - b)),
            BinaryOperator.Multiply => InterpreterValue.FromInteger(unchecked(a * b)),
            BinaryOperator.Divide => Divide(a, b),
            BinaryOperator.Modulo => Remainder(a, b),
            BinaryOperator.Less => InterpreterValue.FromBoolean(a < b),
            BinaryOperator.LessOrEqual => InterpreterValue.FromBoolean(a <= b),
            BinaryOperator.Greater => InterpreterValue.FromBoolean(a > b),
            BinaryOperator.GreaterOrEqual => InterpreterValue.FromBoolean(a >= b),
            _ => throw new InvalidOperationException($"No rule for operator {expression.Operator}."),
        };
    }

    /// <summary>Truncating division; by zero NULL; <c>long.MinValue / -1</c> wraps to itself.</summary>
    private static InterpreterValue Divide(long a, long b)
    {
        if (b == 0)
        {
            return InterpreterValue.Null;
        }

        // .NET throws for MinValue / -1; the language wraps: the quotient is -a, wrapped.
        return InterpreterValue.FromInteger(b == -1 ? unchecked(0 - a) : a / b);
    }

    /// <summary>Remainder with the sign of the dividend; by zero NULL; <c>x % -1</c> is 0.</summary>
    private static InterpreterValue Remainder(long a, long b)
    {
        if (b == 0)
        {
            return InterpreterValue.Null;
        }

        return InterpreterValue.FromInteger(b == -1 ? 0 : a % b);
    }

    private InterpreterValue EvaluatePacketProperty(BoundPacketProperty expression)
    {
        var target = Evaluate(expression.Target);
        if (target.IsNull)
        {
            return InterpreterValue.Null;
        }

        var packet = target.Packet;
        return expression.Property switch
        {
            PacketProperty.Seq => InterpreterValue.FromInteger(packet.Seq),
            PacketProperty.Length => InterpreterValue.FromInteger(packet.Length),
            PacketProperty.User => InterpreterValue.FromInteger(packet.User),
            PacketProperty.Psh => InterpreterValue.FromBoolean(packet.Psh),

            // Sent on every subflow of the session, available or not; TRUE when the session has none.
            PacketProperty.SentOnAll => InterpreterValue.FromBoolean((_context.SessionMask & ~packet.SentOnMask) == 0),
            _ => throw new InvalidOperationException($"No packet property {expression.Property}."),
        };
    }

    /// <summary><c>p.SENT_ON(s)</c>: NULL for a NULL packet (s not evaluated) or a NULL subflow.</summary>
    private InterpreterValue EvaluateSentOn(BoundSentOn expression)
    {
        var target = Evaluate(expression.Target);
        if (target.IsNull)
        {
            return InterpreterValue.Null;
        }

        var subflow = Evaluate(expression.Subflow);
        if (subflow.IsNull)
        {
            return InterpreterValue.Null;
        }

        return InterpreterValue.FromBoolean((target.Packet.SentOnMask & subflow.Subflow.Bit) != 0);
    }

    private InterpreterValue EvaluateSubflowProperty(BoundSubflowProperty expression)
    {
        var target = Evaluate(expression.Target);
        if (target.IsNull)
        {
            return InterpreterValue.Null;
        }

        var subflow = target.Subflow;
        return expression.Property switch
        {
            SubflowProperty.Id => InterpreterValue.FromInteger(subflow.Id),
            SubflowProperty.Rtt => InterpreterValue.FromInteger(subflow.Rtt),
            SubflowProperty.RttVar => InterpreterValue.FromInteger(subflow.RttVar),
            SubflowProperty.RttMs => InterpreterValue.FromInteger(subflow.Rtt / 1000),
            SubflowProperty.DelayOut => InterpreterValue.FromInteger(subflow.DelayOut),
            SubflowProperty.DelayIn => InterpreterValue.FromInteger(subflow.DelayIn),
            SubflowProperty.Cwnd => InterpreterValue.FromInteger(subflow.Cwnd),
            SubflowProperty.Ssthresh => InterpreterValue.FromInteger(subflow.Ssthresh),
            SubflowProperty.SkbsInFlight => InterpreterValue.FromInteger(subflow.InFlight),
            SubflowProperty.Queued => InterpreterValue.FromInteger(subflow.Queued),
            SubflowProperty.LostSkbs => InterpreterValue.FromInteger(subflow.Lost),
            SubflowProperty.BwOutSend => InterpreterValue.FromInteger(subflow.BwOutSend),
            SubflowProperty.BwOutAck => InterpreterValue.FromInteger(subflow.BwOutAck),
            SubflowProperty.IsBackup => InterpreterValue.FromBoolean(subflow.IsBackup),
            SubflowProperty.Throttled => InterpreterValue.FromBoolean(subflow.Throttled),
            SubflowProperty.Lossy => InterpreterValue.FromBoolean(subflow.Lossy),

            // Per stream, by the subflow's slot; a SET_USER earlier in this invocation is seen.
            SubflowProperty.User => InterpreterValue.FromInteger(_context.SubflowUser[subflow.Slot]),
            _ => throw new InvalidOperationException($"No subflow property {expression.Property}."),
        };
    }

    /// <summary><c>s.HAS_WINDOW_FOR(p)</c> is <c>p.LENGTH &lt;= window</c>.</summary>
    private InterpreterValue EvaluateHasWindowFor(BoundHasWindowFor expression)
    {
        var target = Evaluate(expression.Target);
        if (target.IsNull)
        {
            return InterpreterValue.Null;
        }

        var packet = Evaluate(expression.Packet);
        if (packet.IsNull)
        {
            return InterpreterValue.Null;
        }

        return InterpreterValue.FromBoolean(target.Subflow.HasWindowFor(packet.Packet));
    }
}
