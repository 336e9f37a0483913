using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using ProgMp.Compiler.Diagnostics;
using ProgMp.Compiler.Syntax;
using ProgMp.Compiler.Text;
using ProgMp.Runtime.Model;

namespace ProgMp.Compiler.Binding;

/// <summary>
/// Syntax to bound tree: resolves names, checks types and the rules of LANGUAGE.md ("Rules the
/// compiler enforces"), works out where NULL can occur, and reports every problem it finds; after an
/// error it goes on with an error node so that the rest of the program is still checked.
/// </summary>
internal sealed partial class Binder
{
    private readonly DiagnosticBag _diagnostics;
    private readonly List<LocalSymbol> _declared = [];
    private Scope _scope = new(null);

    public Binder(DiagnosticBag diagnostics)
    {
        _diagnostics = diagnostics;
    }

    public BoundProgram BindProgram(ProgramSyntax program)
    {
        var name = "";
        if (program.Header is { } header)
        {
            name = header.Name.Text;
            if (header.NameIsKeyword || ReservedNames.Describe(name) is not null)
            {
                _diagnostics.Report(DiagnosticDescriptors.ReservedName, header.Name.Span, name, ReservedNames.Describe(name), "a scheduler name");
            }
        }
        else
        {
            var at = program.Statements.IsEmpty ? new TextSpan(0, 0) : new TextSpan(program.Statements[0].Span.Start, 0);
            _diagnostics.Report(DiagnosticDescriptors.MissingHeader, at);
        }

        var body = BindBlockContents(program.Statements, program.Span, null);
        foreach (var symbol in _declared)
        {
            if (!symbol.IsUsed && symbol.Kind != LocalKind.LambdaParameter)
            {
                _diagnostics.Report(DiagnosticDescriptors.UnusedVariable, symbol.Declaration, symbol.Name);
            }
        }

        DropWarnings.Report(body, _diagnostics);
        return new BoundProgram(name, body);
    }

    private BoundBlock BindBlock(BlockSyntax block, LocalSymbol? blockVariable = null) =>
        BindBlockContents(block.Statements, block.Span, blockVariable);

    /// <summary>A new scope for the statements; <paramref name="blockVariable"/> is a FOREACH variable that belongs to it.</summary>
    private BoundBlock BindBlockContents(ImmutableArray<StatementSyntax> statements, TextSpan span, LocalSymbol? blockVariable)
    {
        var outer = _scope;
        _scope = new Scope(outer);
        try
        {
            if (blockVariable is not null)
            {
                _scope.TryDeclare(blockVariable);
            }

            foreach (var statement in statements)
            {
                if (statement is VarStatementSyntax declaration)
                {
                    _scope.DeclaredLater.Add(declaration.Name.Text);
                }
            }

            var bound = ImmutableArray.CreateBuilder<BoundStatement>(statements.Length);
            var returned = false;
            var warnedUnreachable = false;
            foreach (var statement in statements)
            {
                if (returned && !warnedUnreachable)
                {
                    _diagnostics.Report(DiagnosticDescriptors.UnreachableCode, statement.Span);
                    warnedUnreachable = true;
                }

                if (BindStatement(statement) is { } boundStatement)
                {
                    bound.Add(boundStatement);
                }

                returned |= statement is ReturnStatementSyntax;
            }

            return new BoundBlock(bound.ToImmutable(), span);
        }
        finally
        {
            _scope = outer;
        }
    }

    private BoundStatement? BindStatement(StatementSyntax statement)
    {
        EnsureStack();
        switch (statement)
        {
            case VarStatementSyntax s:
                return BindVar(s);
            case IfStatementSyntax s:
                return BindIf(s);
            case ForeachStatementSyntax s:
                return BindForeach(s);
            case ReturnStatementSyntax s:
                return new BoundReturn(s.Span);
            case DropStatementSyntax s:
                {
                    var packet = BindValue(s.Packet, popAllowed: true);
                    CheckArgument(packet, BoundType.Packet, "DROP");
                    return new BoundDrop(packet, s.Span);
                }

            case SetStatementSyntax s:
                return BindSet(s);
            case PrintStatementSyntax s:
                return BindPrint(s);
            case VoidStatementSyntax s:
                return new BoundVoid(s.Value is null ? null : BindValue(s.Value, popAllowed: true), s.Span);
            case ExpressionStatementSyntax s:
                return BindExpressionStatement(s);
            case EmptyStatementSyntax s:
                _diagnostics.Report(DiagnosticDescriptors.EmptyStatement, s.Span);
                return null;
            case BlockSyntax s:
                return BindBlock(s);
            default:
                throw new InvalidOperationException($"Unexpected statement {statement.GetType().Name}.");
        }
    }

    private BoundVar BindVar(VarStatementSyntax s)
    {
        var initializer = BindValue(s.Initializer, popAllowed: true);
        var symbol = new LocalSymbol(s.Name.Text, LocalKind.Var, initializer.Type, initializer.MayBeNull, s.Name.Span)
        {
            HoldsPacketPoppedFromQ = DropWarnings.IsPopFromQ(initializer),
            HoldsTopOfQ = DropWarnings.IsTopOfQ(initializer),
        };
        Declare(symbol, "a variable name");
        _scope.DeclaredLater.Remove(s.Name.Text);
        return new BoundVar(symbol, initializer, s.Span);
    }

    private BoundIf BindIf(IfStatementSyntax s)
    {
        var condition = BindCondition(s.Condition);
        var then = BindBlock(s.Then);
        var otherwise = s.Else is null ? null : BindStatement(s.Else);
        return new BoundIf(condition, then, otherwise, s.Span);
    }

    private BoundForeach BindForeach(ForeachStatementSyntax s)
    {
        var list = BindValue(s.List, popAllowed: false);
        var elementType = BoundType.Error;
        if (list.Type.IsList())
        {
            elementType = list.Type.ElementType();
        }
        else if (list.Type != BoundType.Error)
        {
            _diagnostics.Report(DiagnosticDescriptors.ValueTypeMismatch, list.Span, "the list of FOREACH", "a subflow list or a packet list", list.Type.Describe());
        }

        var variable = new LocalSymbol(s.Variable.Text, LocalKind.Foreach, elementType, false, s.Variable.Span);
        CheckDeclarationName(variable, "a variable name");
        _declared.Add(variable);
        var body = BindBlock(s.Body, variable);
        return new BoundForeach(variable, list, body, s.Span);
    }

    private BoundSet? BindSet(SetStatementSyntax s)
    {
        var register = -1;
        var target = StripParentheses(s.Register);
        if (target is NameSyntax name && ReservedNames.IsRegisterLike(name.Name.Text))
        {
            register = ReservedNames.RegisterIndex(name.Name.Text);
            if (register < 0)
            {
                _diagnostics.Report(DiagnosticDescriptors.NotARegister, name.Span, name.Name.Text);
            }
        }
        else
        {
            var bound = BindValue(s.Register, popAllowed: false);
            if (bound.Type != BoundType.Error)
            {
                _diagnostics.Report(DiagnosticDescriptors.SetTargetNotRegister, s.Register.Span, Describe(s.Register, bound));
            }
        }

        var value = BindValue(s.Value, popAllowed: false);
        CheckValue(value, BoundType.Integer, "the value of SET");
        return register < 0 ? null : new BoundSet(register, value, s.Span);
    }

    private BoundPrint BindPrint(PrintStatementSyntax s)
    {
        BoundExpression? value = null;
        if (s.Value is not null)
        {
            value = BindValue(s.Value, popAllowed: false);
            if (value.Type is BoundType.SubflowList or BoundType.PacketList or BoundType.String)
            {
                _diagnostics.Report(DiagnosticDescriptors.PrintValueType, value.Span, value.Type.Describe());
                value = new BoundErrorExpression(value.Span);
            }
        }

        return new BoundPrint(s.Format.Value, value, s.Span);
    }

    private BoundStatement? BindExpressionStatement(ExpressionStatementSyntax s)
    {
        if (s.Expression is MemberSyntax { Member.Text: "PUSH" or "SET_USER" } call)
        {
            var target = BindValue(call.Target, popAllowed: false);
            if (target.Type == BoundType.Subflow)
            {
                return BindSubflowStatement(call, target, s.Span);
            }

            if (target.Type is BoundType.Error)
            {
                return null;
            }

            if (target.Type is BoundType.Null)
            {
                _diagnostics.Report(DiagnosticDescriptors.NullHasNoMembers, call.Member.Span, call.Member.Text);
                return null;
            }

            _diagnostics.Report(DiagnosticDescriptors.UnknownMember, call.Member.Span, Capitalize(target.Type.Describe()), call.Member.Text);
            return null;
        }

        var value = BindValue(s.Expression, popAllowed: false);
        if (value.Type != BoundType.Error)
        {
            _diagnostics.Report(DiagnosticDescriptors.ValueAsStatement, s.Expression.Span);
        }

        return null;
    }

    private BoundStatement? BindSubflowStatement(MemberSyntax call, BoundExpression target, TextSpan span)
    {
        var name = call.Member.Text;
        if (!call.HasParentheses)
        {
            _diagnostics.Report(DiagnosticDescriptors.OperationWithoutParentheses, call.Member.Span, name);
            return null;
        }

        if (call.Arguments.Length != 1)
        {
            _diagnostics.Report(DiagnosticDescriptors.WrongArgumentCount, call.Member.Span, name, "one argument", call.Arguments.Length);
            foreach (var argument in call.Arguments)
            {
                BindArgumentValue(argument, popAllowed: false);
            }

            return null;
        }

        if (name == "PUSH")
        {
            var packet = BindArgumentValue(call.Arguments[0], popAllowed: true);
            CheckArgument(packet, BoundType.Packet, "PUSH");
            return new BoundPush(target, packet, span);
        }

        var value = BindArgumentValue(call.Arguments[0], popAllowed: false);
        CheckArgument(value, BoundType.Integer, "SET_USER");
        return new BoundSetUser(target, value, span);
    }

    private void Declare(LocalSymbol symbol, string role)
    {
        CheckDeclarationName(symbol, role);
        if (!_scope.TryDeclare(symbol))
        {
            // Reported once, as a duplicate; the second declaration is not a variable of its own.
            _diagnostics.Report(DiagnosticDescriptors.DuplicateVariable, symbol.Declaration, symbol.Name);
            return;
        }

        _declared.Add(symbol);
    }

    private void CheckDeclarationName(LocalSymbol symbol, string role)
    {
        if (ReservedNames.Describe(symbol.Name) is { } reserved)
        {
            _diagnostics.Report(DiagnosticDescriptors.ReservedName, symbol.Declaration, symbol.Name, reserved, role);
        }
    }

    private BoundExpression BindCondition(ExpressionSyntax syntax)
    {
        var condition = BindValue(syntax, popAllowed: false);
        if (!condition.Type.Fits(BoundType.Boolean))
        {
            _diagnostics.Report(DiagnosticDescriptors.ConditionNotBoolean, syntax.Span, condition.Type.Describe());
            return new BoundErrorExpression(syntax.Span);
        }

        return condition;
    }

    private void CheckArgument(BoundExpression argument, BoundType expected, string operation)
    {
        if (!argument.Type.Fits(expected))
        {
            _diagnostics.Report(DiagnosticDescriptors.ArgumentTypeMismatch, argument.Span, operation, expected.Describe(), argument.Type.Describe());
        }
    }

    private void CheckValue(BoundExpression value, BoundType expected, string what)
    {
        if (!value.Type.Fits(expected))
        {
            _diagnostics.Report(DiagnosticDescriptors.ValueTypeMismatch, value.Span, what, expected.Describe(), value.Type.Describe());
        }
    }

    private static ExpressionSyntax StripParentheses(ExpressionSyntax syntax)
    {
        while (syntax is ParenthesizedSyntax parenthesized)
        {
            syntax = parenthesized.Inner;
        }

        return syntax;
    }

    private static string Describe(ExpressionSyntax syntax, BoundExpression bound) =>
        StripParentheses(syntax) is NameSyntax name ? $"'{name.Name.Text}'" : bound.Type.Describe();

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new ProgramTooComplexException();
        }
    }

    private static PacketListKind QueueKind(string name) => name switch
    {
        "Q" => PacketListKind.Q,
        "QU" => PacketListKind.QU,
        _ => PacketListKind.RQ,
    };
}
