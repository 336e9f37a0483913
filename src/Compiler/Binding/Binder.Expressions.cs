using ProgMp.Compiler.Diagnostics;
using ProgMp.Compiler.Syntax;
using ProgMp.Runtime.Model;

namespace ProgMp.Compiler.Binding;

internal sealed partial class Binder
{
    /// <summary>
    /// Binds an expression that must give a value. <paramref name="popAllowed"/> is true only where
    /// the whole expression (parentheses aside) may be a POP: a VAR initializer, or the argument of
    /// PUSH, DROP or VOID.
    /// </summary>
    private BoundExpression BindValue(ExpressionSyntax syntax, bool popAllowed)
    {
        EnsureStack();
        switch (syntax)
        {
            case ParenthesizedSyntax p:
                return BindValue(p.Inner, popAllowed);
            case IntegerLiteralSyntax i:
                return i.Value is { } value ? new BoundIntegerLiteral(value, i.Span) : new BoundErrorExpression(i.Span);
            case BooleanLiteralSyntax b:
                return new BoundBooleanLiteral(b.Value, b.Span);
            case NullLiteralSyntax n:
                return new BoundNullLiteral(n.Span);
            case StringLiteralSyntax s:
                _diagnostics.Report(DiagnosticDescriptors.StringNotAllowed, s.Span);
                return new BoundErrorExpression(s.Span);
            case NameSyntax n:
                return BindName(n);
            case UnarySyntax u:
                return BindUnary(u);
            case BinarySyntax b:
                return BindBinary(b);
            case MemberSyntax m:
                return BindMember(m, popAllowed);
            case LambdaSyntax l:
                _diagnostics.Report(DiagnosticDescriptors.LambdaNotExpected, l.Span);
                return new BoundErrorExpression(l.Span);
            case MissingExpressionSyntax m:
                return new BoundErrorExpression(m.Span);
            default:
                throw new InvalidOperationException($"Unexpected expression {syntax.GetType().Name}.");
        }
    }

    private BoundExpression BindArgumentValue(ExpressionSyntax syntax, bool popAllowed) => BindValue(syntax, popAllowed);

    private BoundExpression BindName(NameSyntax syntax)
    {
        var name = syntax.Name.Text;
        var span = syntax.Span;
        if (ReservedNames.IsRegisterLike(name))
        {
            var index = ReservedNames.RegisterIndex(name);
            if (index < 0)
            {
                _diagnostics.Report(DiagnosticDescriptors.NotARegister, span, name);
                return new BoundErrorExpression(span);
            }

            return new BoundRegister(index, span);
        }

        switch (name)
        {
            case "Q" or "QU" or "RQ":
                return new BoundQueue(QueueKind(name), span);
            case "SUBFLOWS":
                return new BoundSubflows(span);
            case "CURRENT_TIME_MS":
                return new BoundCurrentTime(span);
            case "RANDOM":
                return new BoundRandom(span);
        }

        if (_scope.Lookup(name) is { } symbol)
        {
            symbol.IsUsed = true;
            return new BoundLocal(symbol, span);
        }

        _diagnostics.Report(
            _scope.IsDeclaredLater(name) ? DiagnosticDescriptors.UsedBeforeDeclaration : DiagnosticDescriptors.UnknownName,
            span,
            name);
        return new BoundErrorExpression(span);
    }

    private BoundExpression BindUnary(UnarySyntax syntax)
    {
        var operand = BindValue(syntax.Operand, popAllowed: false);
        var expected = syntax.Operator == UnaryOperator.Not ? BoundType.Boolean : BoundType.Integer;
        if (operand.Type == BoundType.Error)
        {
            return new BoundErrorExpression(syntax.Span);
        }

        if (!operand.Type.Fits(expected))
        {
            var symbol = syntax.Operator == UnaryOperator.Not ? "!" : "-";
            _diagnostics.Report(DiagnosticDescriptors.OperatorTypeMismatch, syntax.OperatorSpan, symbol, operand.Type.Describe());
            return new BoundErrorExpression(syntax.Span);
        }

        return new BoundUnary(syntax.Operator, operand, expected, syntax.Span);
    }

    private BoundExpression BindBinary(BinarySyntax syntax)
    {
        var left = BindValue(syntax.Left, popAllowed: false);
        var right = BindValue(syntax.Right, popAllowed: false);
        if (left.Type == BoundType.Error || right.Type == BoundType.Error)
        {
            return new BoundErrorExpression(syntax.Span);
        }

        var op = syntax.Operator;
        switch (op)
        {
            case BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply
                or BinaryOperator.Divide or BinaryOperator.Modulo:
                {
                    if (!left.Type.Fits(BoundType.Integer) || !right.Type.Fits(BoundType.Integer))
                    {
                        return OperatorMismatch(syntax, left, right);
                    }

                    var divisorMayBeZero = op is BinaryOperator.Divide or BinaryOperator.Modulo
                        && right is not BoundIntegerLiteral { Value: not 0 };
                    return new BoundBinary(op, left, right, BoundType.Integer, left.MayBeNull || right.MayBeNull || divisorMayBeZero, syntax.Span);
                }

            case BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual:
                if (!left.Type.Fits(BoundType.Integer) || !right.Type.Fits(BoundType.Integer))
                {
                    return OperatorMismatch(syntax, left, right);
                }

                return new BoundBinary(op, left, right, BoundType.Boolean, left.MayBeNull || right.MayBeNull, syntax.Span);

            case BinaryOperator.And or BinaryOperator.Or:
                if (!left.Type.Fits(BoundType.Boolean) || !right.Type.Fits(BoundType.Boolean))
                {
                    return OperatorMismatch(syntax, left, right);
                }

                return new BoundBinary(op, left, right, BoundType.Boolean, false, syntax.Span);

            default:
                {
                    // == and !=: two values of one type, or anything with the literal NULL; never two lists.
                    var comparable = left.Type == BoundType.Null || right.Type == BoundType.Null
                        || (left.Type == right.Type && left.Type is not (BoundType.SubflowList or BoundType.PacketList));
                    if (!comparable)
                    {
                        if (left.Type.IsList() && right.Type.IsList())
                        {
                            _diagnostics.Report(DiagnosticDescriptors.ListsCompared, syntax.OperatorSpan, BinaryOperatorText.Of(op));
                            return new BoundErrorExpression(syntax.Span);
                        }

                        return OperatorMismatch(syntax, left, right);
                    }

                    return new BoundBinary(op, left, right, BoundType.Boolean, false, syntax.Span);
                }
        }
    }

    private BoundErrorExpression OperatorMismatch(BinarySyntax syntax, BoundExpression left, BoundExpression right)
    {
        _diagnostics.Report(
            DiagnosticDescriptors.OperatorTypeMismatch,
            syntax.OperatorSpan,
            BinaryOperatorText.Of(syntax.Operator),
            $"{left.Type.Describe()} and {right.Type.Describe()}");
        return new BoundErrorExpression(syntax.Span);
    }

    private BoundExpression BindMember(MemberSyntax syntax, bool popAllowed)
    {
        var name = syntax.Member.Text;
        var target = BindValue(syntax.Target, popAllowed: false);
        if (target.Type == BoundType.Error)
        {
            BindArgumentsForErrors(syntax);
            return new BoundErrorExpression(syntax.Span);
        }

        if (target.Type == BoundType.Null)
        {
            _diagnostics.Report(DiagnosticDescriptors.NullHasNoMembers, syntax.Member.Span, name);
            BindArgumentsForErrors(syntax);
            return new BoundErrorExpression(syntax.Span);
        }

        if (!MemberTable.TryGet(target.Type, name, out var member))
        {
            _diagnostics.Report(DiagnosticDescriptors.UnknownMember, syntax.Member.Span, Capitalize(target.Type.Describe()), name);
            BindArgumentsForErrors(syntax);
            return new BoundErrorExpression(syntax.Span);
        }

        if (member.IsStatement)
        {
            _diagnostics.Report(DiagnosticDescriptors.StatementAsValue, syntax.Member.Span, name);
            BindArgumentsForErrors(syntax);
            return new BoundErrorExpression(syntax.Span);
        }

        if (member.Parameter == MemberParameter.None && !member.IsOperation)
        {
            if (syntax.HasParentheses)
            {
                _diagnostics.Report(DiagnosticDescriptors.PropertyCalled, syntax.Member.Span, name);
                BindArgumentsForErrors(syntax);
                return new BoundErrorExpression(syntax.Span);
            }

            return BindProperty(syntax, target, member);
        }

        if (!syntax.HasParentheses)
        {
            _diagnostics.Report(DiagnosticDescriptors.OperationWithoutParentheses, syntax.Member.Span, name);
            return new BoundErrorExpression(syntax.Span);
        }

        var expectedCount = member.Parameter == MemberParameter.None ? 0 : 1;
        if (syntax.Arguments.Length != expectedCount)
        {
            _diagnostics.Report(
                DiagnosticDescriptors.WrongArgumentCount,
                syntax.Member.Span,
                name,
                expectedCount == 0 ? "no arguments" : "one argument",
                syntax.Arguments.Length);
            BindArgumentsForErrors(syntax);
            return new BoundErrorExpression(syntax.Span);
        }

        return member.Parameter switch
        {
            MemberParameter.Lambda => BindLambdaOperation(syntax, target, member),
            MemberParameter.None => BindPop(syntax, target, popAllowed),
            _ => BindCall(syntax, target, member),
        };
    }

    private static BoundExpression BindProperty(MemberSyntax syntax, BoundExpression target, MemberInfo member) => member.Kind switch
    {
        MemberKind.PacketProperty => new BoundPacketProperty(target, member.PacketProperty, member.ResultType, syntax.Span),
        MemberKind.SubflowProperty => new BoundSubflowProperty(target, member.SubflowProperty, member.ResultType, syntax.Span),
        _ => new BoundListOperation(member.ListOperation, target, null, member.ResultType, target.MayBeNull || member.ListOperation == ListOperation.Top, syntax.Span),
    };

    private BoundExpression BindCall(MemberSyntax syntax, BoundExpression target, MemberInfo member)
    {
        var argumentSyntax = syntax.Arguments[0];
        var argument = BindValue(argumentSyntax, popAllowed: false);
        var expected = member.Parameter switch
        {
            MemberParameter.Subflow => BoundType.Subflow,
            MemberParameter.Packet => BoundType.Packet,
            _ => BoundType.Integer,
        };
        if (argument.Type == BoundType.Error)
        {
            return new BoundErrorExpression(syntax.Span);
        }

        if (!argument.Type.Fits(expected))
        {
            _diagnostics.Report(DiagnosticDescriptors.ArgumentTypeMismatch, argument.Span, member.Name, expected.Describe(), argument.Type.Describe());
            return new BoundErrorExpression(syntax.Span);
        }

        return member.Kind switch
        {
            MemberKind.SentOn => new BoundSentOn(target, argument, syntax.Span),
            MemberKind.HasWindowFor => new BoundHasWindowFor(target, argument, syntax.Span),
            _ => new BoundListOperation(ListOperation.Get, target, argument, member.ResultType, true, syntax.Span),
        };
    }

    private BoundExpression BindPop(MemberSyntax syntax, BoundExpression target, bool popAllowed)
    {
        var ok = true;
        if (!popAllowed)
        {
            _diagnostics.Report(DiagnosticDescriptors.PopNotAllowedHere, syntax.Member.Span);
            ok = false;
        }

        switch (PopSourceOf(syntax.Target))
        {
            case PopSource.Queue:
                break;
            case PopSource.Qu:
                _diagnostics.Report(DiagnosticDescriptors.PopOnQu, syntax.Member.Span);
                ok = false;
                break;
            default:
                _diagnostics.Report(DiagnosticDescriptors.PopOnNonQueue, syntax.Member.Span, DescribePopTarget(syntax.Target));
                ok = false;
                break;
        }

        return ok
            ? new BoundListOperation(ListOperation.Pop, target, null, BoundType.Packet, true, syntax.Span)
            : new BoundErrorExpression(syntax.Span);
    }

    /// <summary>Where a POP would take from: Q or RQ, or a FILTER chain of them written in place.</summary>
    private static PopSource PopSourceOf(ExpressionSyntax target)
    {
        while (true)
        {
            target = StripParentheses(target);
            switch (target)
            {
                case NameSyntax { Name.Text: "Q" or "RQ" }:
                    return PopSource.Queue;
                case NameSyntax { Name.Text: "QU" }:
                    return PopSource.Qu;
                case MemberSyntax { Member.Text: "FILTER", HasParentheses: true } filter:
                    target = filter.Target;
                    continue;
                default:
                    return PopSource.Other;
            }
        }
    }

    private static string DescribePopTarget(ExpressionSyntax target) => StripParentheses(target) switch
    {
        NameSyntax name => $"the variable '{name.Name.Text}'",
        _ => "this value",
    };

    private BoundExpression BindLambdaOperation(MemberSyntax syntax, BoundExpression list, MemberInfo member)
    {
        if (syntax.Arguments[0] is not LambdaSyntax lambda)
        {
            _diagnostics.Report(DiagnosticDescriptors.LambdaExpected, syntax.Arguments[0].Span, member.Name);
            BindArgumentsForErrors(syntax);
            return new BoundErrorExpression(syntax.Span);
        }

        var elementType = list.Type.ElementType();
        var parameter = new LocalSymbol(lambda.Parameter.Text, LocalKind.LambdaParameter, elementType, false, lambda.Parameter.Span);
        CheckDeclarationName(parameter, "a lambda parameter");
        var outer = _scope;
        _scope = new Scope(outer);
        BoundExpression body;
        try
        {
            _scope.TryDeclare(parameter);
            body = BindValue(lambda.Body, popAllowed: false);
        }
        finally
        {
            _scope = outer;
        }

        var operation = member.LambdaOperation;
        var bodyType = operation == LambdaOperation.Filter ? BoundType.Boolean : BoundType.Integer;
        if (body.Type == BoundType.Error)
        {
            return new BoundErrorExpression(syntax.Span);
        }

        if (!body.Type.Fits(bodyType))
        {
            _diagnostics.Report(DiagnosticDescriptors.LambdaBodyType, lambda.Body.Span, member.Name, bodyType.Describe(), body.Type.Describe());
            return new BoundErrorExpression(syntax.Span);
        }

        var (resultType, mayBeNull) = operation switch
        {
            LambdaOperation.Filter => (list.Type, list.MayBeNull),
            LambdaOperation.Sum => (BoundType.Integer, list.MayBeNull),
            _ => (elementType, true),
        };
        return new BoundLambdaOperation(operation, list, parameter, body, resultType, mayBeNull, syntax.Span);
    }

    /// <summary>After an error in a call: still check the arguments, so that their problems are reported too.</summary>
    private void BindArgumentsForErrors(MemberSyntax syntax)
    {
        if (syntax.Arguments.IsDefaultOrEmpty)
        {
            return;
        }

        foreach (var argument in syntax.Arguments)
        {
            if (argument is LambdaSyntax lambda)
            {
                var outer = _scope;
                _scope = new Scope(outer);
                try
                {
                    _scope.TryDeclare(new LocalSymbol(lambda.Parameter.Text, LocalKind.LambdaParameter, BoundType.Error, false, lambda.Parameter.Span));
                    BindValue(lambda.Body, popAllowed: false);
                }
                finally
                {
                    _scope = outer;
                }
            }
            else
            {
                BindValue(argument, popAllowed: false);
            }
        }
    }

    private enum PopSource
    {
        Queue,
        Qu,
        Other,
    }
}
