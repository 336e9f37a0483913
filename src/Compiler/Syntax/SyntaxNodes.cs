using System.Collections.Immutable;
using ProgMp.Compiler.Text;

namespace ProgMp.Compiler.Syntax;

// The syntax tree: our own immutable records with spans. ANTLR's contexts never leave Parsing/.
// A closed family of small records, kept in one file so the shape of the language reads at a glance.

internal abstract record SyntaxNode(TextSpan Span);

/// <summary>A name as written, with its span.</summary>
internal sealed record IdentifierSyntax(string Text, TextSpan Span) : SyntaxNode(Span);

/// <summary><c>SCHEDULER name;</c>. <see cref="NameIsKeyword"/> when the name is a keyword token.</summary>
internal sealed record HeaderSyntax(IdentifierSyntax Name, bool NameIsKeyword, TextSpan Span) : SyntaxNode(Span);

internal sealed record ProgramSyntax(HeaderSyntax? Header, ImmutableArray<StatementSyntax> Statements, TextSpan Span) : SyntaxNode(Span);

// Statements.
internal abstract record StatementSyntax(TextSpan Span) : SyntaxNode(Span);

internal sealed record BlockSyntax(ImmutableArray<StatementSyntax> Statements, TextSpan Span) : StatementSyntax(Span);

internal sealed record VarStatementSyntax(IdentifierSyntax Name, ExpressionSyntax Initializer, TextSpan Span) : StatementSyntax(Span);

/// <summary><see cref="Else"/> is another <see cref="IfStatementSyntax"/> (ELSE IF), a <see cref="BlockSyntax"/>, or null.</summary>
internal sealed record IfStatementSyntax(ExpressionSyntax Condition, BlockSyntax Then, StatementSyntax? Else, TextSpan Span) : StatementSyntax(Span);

internal sealed record ForeachStatementSyntax(IdentifierSyntax Variable, ExpressionSyntax List, BlockSyntax Body, TextSpan Span) : StatementSyntax(Span);

internal sealed record ReturnStatementSyntax(TextSpan Span) : StatementSyntax(Span);

internal sealed record DropStatementSyntax(ExpressionSyntax Packet, TextSpan Span) : StatementSyntax(Span);

internal sealed record SetStatementSyntax(ExpressionSyntax Register, ExpressionSyntax Value, TextSpan Span) : StatementSyntax(Span);

internal sealed record PrintStatementSyntax(StringLiteralSyntax Format, ExpressionSyntax? Value, TextSpan Span) : StatementSyntax(Span);

internal sealed record VoidStatementSyntax(ExpressionSyntax? Value, TextSpan Span) : StatementSyntax(Span);

/// <summary>An expression followed by ';': only PUSH and SET_USER calls are valid here.</summary>
internal sealed record ExpressionStatementSyntax(ExpressionSyntax Expression, TextSpan Span) : StatementSyntax(Span);

internal sealed record EmptyStatementSyntax(TextSpan Span) : StatementSyntax(Span);

// Expressions.
internal abstract record ExpressionSyntax(TextSpan Span) : SyntaxNode(Span);

/// <summary>
/// <c>target.Member</c> or <c>target.Member(arguments)</c>; <see cref="Arguments"/> is default
/// (not empty) when there are no parentheses, so that <c>Q.POP</c> and <c>Q.TOP()</c> are told apart.
/// </summary>
internal sealed record MemberSyntax(ExpressionSyntax Target, IdentifierSyntax Member, ImmutableArray<ExpressionSyntax> Arguments, TextSpan Span) : ExpressionSyntax(Span)
{
    public bool HasParentheses => !Arguments.IsDefault;
}

internal sealed record UnarySyntax(UnaryOperator Operator, ExpressionSyntax Operand, TextSpan OperatorSpan, TextSpan Span) : ExpressionSyntax(Span);

internal sealed record BinarySyntax(BinaryOperator Operator, ExpressionSyntax Left, ExpressionSyntax Right, TextSpan OperatorSpan, TextSpan Span) : ExpressionSyntax(Span);

internal sealed record ParenthesizedSyntax(ExpressionSyntax Inner, TextSpan Span) : ExpressionSyntax(Span);

/// <summary>A decimal literal; <see cref="Value"/> is null when it does not fit in 64 bits (reported while parsing).</summary>
internal sealed record IntegerLiteralSyntax(long? Value, TextSpan Span) : ExpressionSyntax(Span);

internal sealed record BooleanLiteralSyntax(bool Value, TextSpan Span) : ExpressionSyntax(Span);

internal sealed record NullLiteralSyntax(TextSpan Span) : ExpressionSyntax(Span);

/// <summary>A string with its escapes already resolved.</summary>
internal sealed record StringLiteralSyntax(string Value, TextSpan Span) : ExpressionSyntax(Span);

internal sealed record NameSyntax(IdentifierSyntax Name, TextSpan Span) : ExpressionSyntax(Span);

/// <summary><c>x => body</c>: only as an argument.</summary>
internal sealed record LambdaSyntax(IdentifierSyntax Parameter, ExpressionSyntax Body, TextSpan Span) : ExpressionSyntax(Span);

/// <summary>A placeholder where the parser could not make sense of the text (already reported).</summary>
internal sealed record MissingExpressionSyntax(TextSpan Span) : ExpressionSyntax(Span);

internal enum UnaryOperator
{
    Not,
    Negate,
}

internal enum BinaryOperator
{
    Multiply,
    Divide,
    Modulo,
    Add,
    Subtract,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    And,
    Or,
}
