using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Antlr4.Runtime;
using ProgMp.Compiler.Diagnostics;
using ProgMp.Compiler.Syntax;
using ProgMp.Compiler.Text;
using static ProgMp.Compiler.Parsing.Generated.ProgMpParser;

namespace ProgMp.Compiler.Parsing;

/// <summary>
/// ANTLR's parse tree to our syntax tree. After error recovery a context may lack children; those
/// become <see cref="MissingExpressionSyntax"/> or are skipped, since the parser already reported them.
/// </summary>
internal sealed class SyntaxTreeBuilder
{
    private readonly DiagnosticBag _diagnostics;

    public SyntaxTreeBuilder(DiagnosticBag diagnostics)
    {
        _diagnostics = diagnostics;
    }

    public ProgramSyntax BuildProgram(ProgramContext context)
    {
        HeaderSyntax? header = null;
        if (context.header() is { } h && h.schedulerName() is { } nameContext && nameContext.Start.Type != TokenConstants.EOF)
        {
            var nameToken = nameContext.Start;
            var name = new IdentifierSyntax(nameToken.Text, SyntaxParser.Span(nameToken));
            header = new HeaderSyntax(name, nameContext.keyword() is not null, SpanOf(h));
        }

        return new ProgramSyntax(header, BuildStatements(context.statement()), SpanOf(context));
    }

    private ImmutableArray<StatementSyntax> BuildStatements(StatementContext[] statements)
    {
        var builder = ImmutableArray.CreateBuilder<StatementSyntax>(statements.Length);
        foreach (var statement in statements)
        {
            if (BuildStatement(statement) is { } built)
            {
                builder.Add(built);
            }
        }

        return builder.ToImmutable();
    }

    private StatementSyntax? BuildStatement(StatementContext context)
    {
        EnsureStack();
        var span = SpanOf(context);
        switch (context)
        {
            case VarStatementContext c when c.IDENT() is { } name && !IsMissing(name.Symbol):
                return new VarStatementSyntax(Identifier(name.Symbol), Expr(c.expr(), span), span);
            case IfStatementContext c:
                return new IfStatementSyntax(Expr(c.expr(), span), Block(c.block(), span), Else(c.elseClause()), span);
            case ForeachStatementContext c when c.IDENT() is { } name && !IsMissing(name.Symbol):
                return new ForeachStatementSyntax(Identifier(name.Symbol), Expr(c.expr(), span), Block(c.block(), span), span);
            case ReturnStatementContext:
                return new ReturnStatementSyntax(span);
            case DropStatementContext c:
                return new DropStatementSyntax(Expr(c.expr(), span), span);
            case SetStatementContext c:
                return new SetStatementSyntax(Expr(c.expr(0), span), Expr(c.expr(1), span), span);
            case PrintStatementContext c when c.STRING() is { } format && !IsMissing(format.Symbol):
                return new PrintStatementSyntax(StringLiteral(format.Symbol), c.expr() is { } value ? Expr(value, span) : null, span);
            case VoidStatementContext c:
                return new VoidStatementSyntax(c.expr() is { } voided ? Expr(voided, span) : null, span);
            case ExpressionStatementContext c:
                return new ExpressionStatementSyntax(Expr(c.expr(), span), span);
            case EmptyStatementContext:
                return new EmptyStatementSyntax(span);
            default:
                return null;
        }
    }

    private StatementSyntax? Else(ElseClauseContext? context)
    {
        var span = context is null ? default : SpanOf(context);
        return context switch
        {
            ElseIfClauseContext c => new IfStatementSyntax(Expr(c.expr(), span), Block(c.block(), span), Else(c.elseClause()), span),
            ElseBlockClauseContext c => Block(c.block(), span),
            _ => null,
        };
    }

    private BlockSyntax Block(BlockContext? context, TextSpan fallback) =>
        context is null
            ? new BlockSyntax([], new TextSpan(fallback.End, 0))
            : new BlockSyntax(BuildStatements(context.statement()), SpanOf(context));

    private ExpressionSyntax Expr(ExprContext? context, TextSpan fallback)
    {
        if (context is null)
        {
            return new MissingExpressionSyntax(new TextSpan(fallback.End, 0));
        }

        EnsureStack();
        var span = SpanOf(context);
        switch (context)
        {
            case MemberExprContext c when c.member is { } member && !IsMissing(member):
                var arguments = c.LPAREN() is null ? default : Arguments(c.arguments(), span);
                return new MemberSyntax(Expr(c.expr(), span), Identifier(member), arguments, span);
            case UnaryExprContext c:
                var unary = c.op.Type == Generated.ProgMpLexer.NOT ? UnaryOperator.Not : UnaryOperator.Negate;
                return new UnarySyntax(unary, Expr(c.expr(), span), SyntaxParser.Span(c.op), span);
            case MultiplicativeExprContext c:
                return Binary(c.op, c.expr(0), c.expr(1), span);
            case AdditiveExprContext c:
                return Binary(c.op, c.expr(0), c.expr(1), span);
            case ComparisonExprContext c:
                return Binary(c.op, c.expr(0), c.expr(1), span);
            case AndExprContext c:
                return Binary(c.op, c.expr(0), c.expr(1), span);
            case OrExprContext c:
                return Binary(c.op, c.expr(0), c.expr(1), span);
            case ParenExprContext c:
                return new ParenthesizedSyntax(Expr(c.expr(), span), span);
            case IntLiteralContext c:
                return IntegerLiteral(c.Start, span);
            case BoolLiteralContext c:
                return new BooleanLiteralSyntax(c.TRUE() is not null, span);
            case NullLiteralContext:
                return new NullLiteralSyntax(span);
            case StringLiteralContext c:
                return StringLiteral(c.Start);
            case NameExprContext c:
                return new NameSyntax(Identifier(c.Start), span);
            default:
                return new MissingExpressionSyntax(span);
        }
    }

    private ImmutableArray<ExpressionSyntax> Arguments(ArgumentsContext? context, TextSpan fallback)
    {
        if (context is null)
        {
            return [];
        }

        var builder = ImmutableArray.CreateBuilder<ExpressionSyntax>();
        foreach (var argument in context.argument())
        {
            var span = SpanOf(argument);
            switch (argument)
            {
                case LambdaArgumentContext lambda when lambda.IDENT() is { } parameter && !IsMissing(parameter.Symbol):
                    builder.Add(new LambdaSyntax(Identifier(parameter.Symbol), Expr(lambda.expr(), span), span));
                    break;
                case ValueArgumentContext value:
                    builder.Add(Expr(value.expr(), span));
                    break;
                default:
                    builder.Add(new MissingExpressionSyntax(span.Length == 0 ? new TextSpan(fallback.End, 0) : span));
                    break;
            }
        }

        return builder.ToImmutable();
    }

    private BinarySyntax Binary(IToken op, ExprContext? left, ExprContext? right, TextSpan span)
    {
        var binary = op.Type switch
        {
            Generated.ProgMpLexer.STAR => BinaryOperator.Multiply,
            Generated.ProgMpLexer.SLASH => BinaryOperator.Divide,
            Generated.ProgMpLexer.PERCENT => BinaryOperator.Modulo,
            Generated.ProgMpLexer.PLUS => BinaryOperator.Add,
            Generated.ProgMpLexer.MINUS => BinaryOperator.Subtract,
            Generated.ProgMpLexer.EQ => BinaryOperator.Equal,
            Generated.ProgMpLexer.NE => BinaryOperator.NotEqual,
            Generated.ProgMpLexer.LT => BinaryOperator.Less,
            Generated.ProgMpLexer.LE => BinaryOperator.LessOrEqual,
            Generated.ProgMpLexer.GT => BinaryOperator.Greater,
            Generated.ProgMpLexer.GE => BinaryOperator.GreaterOrEqual,
            Generated.ProgMpLexer.AND => BinaryOperator.And,
            _ => BinaryOperator.Or,
        };
        return new BinarySyntax(binary, Expr(left, span), Expr(right, span), SyntaxParser.Span(op), span);
    }

    private IntegerLiteralSyntax IntegerLiteral(IToken token, TextSpan span)
    {
        if (long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return new IntegerLiteralSyntax(value, span);
        }

        _diagnostics.Report(DiagnosticDescriptors.IntegerTooLarge, span, Shorten(token.Text));
        return new IntegerLiteralSyntax(null, span);
    }

    private StringLiteralSyntax StringLiteral(IToken token)
    {
        var span = SyntaxParser.Span(token);
        var text = token.Text;

        // Between the quotes; an unterminated string was closed by the lexer step.
        var body = text.Length >= 2 ? text[1..^1] : "";
        var value = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c != '\\' || i + 1 >= body.Length)
            {
                value.Append(c);
                continue;
            }

            var escaped = body[++i];
            switch (escaped)
            {
                case 'n': value.Append('\n'); break;
                case 'r': value.Append('\r'); break;
                case 't': value.Append('\t'); break;
                case '"': value.Append('"'); break;
                case '\\': value.Append('\\'); break;
                default:
                    _diagnostics.Report(DiagnosticDescriptors.InvalidEscape, new TextSpan(span.Start + i, 2), escaped);
                    value.Append(escaped);
                    break;
            }
        }

        return new StringLiteralSyntax(value.ToString(), span);
    }

    private static IdentifierSyntax Identifier(IToken token) => new(token.Text, SyntaxParser.Span(token));

    /// <summary>A token ANTLR conjured up while recovering ("missing IDENT"): it has no text in the source.</summary>
    private static bool IsMissing(IToken token) => token.StartIndex < 0 || token.StopIndex < token.StartIndex || token.TokenIndex < 0;

    private static TextSpan SpanOf(ParserRuleContext context)
    {
        var start = context.Start;
        var stop = context.Stop;
        if (start is null || start.StartIndex < 0)
        {
            return default;
        }

        if (stop is null || stop.StopIndex < start.StartIndex || stop.Type == TokenConstants.EOF)
        {
            return new TextSpan(start.StartIndex, start.Type == TokenConstants.EOF ? 0 : start.StopIndex - start.StartIndex + 1);
        }

        return TextSpan.FromBounds(start.StartIndex, stop.StopIndex + 1);
    }

    private static string Shorten(string digits) => digits.Length <= 30 ? digits : digits[..24] + "…(" + digits.Length + " digits)";

    private static void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new ProgramTooComplexException();
        }
    }
}
