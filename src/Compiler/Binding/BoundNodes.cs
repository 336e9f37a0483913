using System.Collections.Immutable;
using ProgMp.Compiler.Syntax;
using ProgMp.Compiler.Text;
using ProgMp.Runtime.Model;

namespace ProgMp.Compiler.Binding;

// The bound tree: names resolved, types known, NULL-ness known. The emitter and the reference
// interpreter both read it, and nothing else. A closed family of small records, kept in one file.

/// <summary>
/// An expression with its type and whether it can be NULL at run time (statically: a property of a
/// lambda parameter cannot; TOP, GET, MIN, MAX, POP and division can).
/// </summary>
internal abstract record BoundExpression(BoundType Type, bool MayBeNull, TextSpan Span);

internal sealed record BoundIntegerLiteral(long Value, TextSpan Span) : BoundExpression(BoundType.Integer, false, Span);

internal sealed record BoundBooleanLiteral(bool Value, TextSpan Span) : BoundExpression(BoundType.Boolean, false, Span);

internal sealed record BoundNullLiteral(TextSpan Span) : BoundExpression(BoundType.Null, true, Span);

/// <summary>Stands for an expression that had errors, so that one mistake gives one diagnostic.</summary>
internal sealed record BoundErrorExpression(TextSpan Span) : BoundExpression(BoundType.Error, true, Span);

internal sealed record BoundLocal(LocalSymbol Symbol, TextSpan Span) : BoundExpression(Symbol.Type, Symbol.MayBeNull, Span);

/// <summary>R1..R6 as index 0..5.</summary>
internal sealed record BoundRegister(int Index, TextSpan Span) : BoundExpression(BoundType.Integer, false, Span);

internal sealed record BoundQueue(PacketListKind Queue, TextSpan Span) : BoundExpression(BoundType.PacketList, false, Span);

internal sealed record BoundSubflows(TextSpan Span) : BoundExpression(BoundType.SubflowList, false, Span);

internal sealed record BoundCurrentTime(TextSpan Span) : BoundExpression(BoundType.Integer, false, Span);

internal sealed record BoundRandom(TextSpan Span) : BoundExpression(BoundType.Integer, false, Span);

internal sealed record BoundUnary(UnaryOperator Operator, BoundExpression Operand, BoundType ResultType, TextSpan Span)
    : BoundExpression(ResultType, Operand.MayBeNull, Span);

/// <summary>
/// For arithmetic and ordering, <see cref="BoundExpression.MayBeNull"/> follows the operands (and a
/// divisor that may be 0); AND, OR, == and != never give NULL.
/// </summary>
internal sealed record BoundBinary(BinaryOperator Operator, BoundExpression Left, BoundExpression Right, BoundType ResultType, bool ResultMayBeNull, TextSpan Span)
    : BoundExpression(ResultType, ResultMayBeNull, Span);

internal sealed record BoundPacketProperty(BoundExpression Target, PacketProperty Property, BoundType ResultType, TextSpan Span)
    : BoundExpression(ResultType, Target.MayBeNull, Span);

/// <summary><c>p.SENT_ON(s)</c>.</summary>
internal sealed record BoundSentOn(BoundExpression Target, BoundExpression Subflow, TextSpan Span)
    : BoundExpression(BoundType.Boolean, Target.MayBeNull || Subflow.MayBeNull, Span);

internal sealed record BoundSubflowProperty(BoundExpression Target, SubflowProperty Property, BoundType ResultType, TextSpan Span)
    : BoundExpression(ResultType, Target.MayBeNull, Span);

/// <summary><c>s.HAS_WINDOW_FOR(p)</c>.</summary>
internal sealed record BoundHasWindowFor(BoundExpression Target, BoundExpression Packet, TextSpan Span)
    : BoundExpression(BoundType.Boolean, Target.MayBeNull || Packet.MayBeNull, Span);

/// <summary>COUNT, EMPTY, TOP, GET(i), POP() on a list. <see cref="Index"/> only for GET.</summary>
internal sealed record BoundListOperation(ListOperation Operation, BoundExpression List, BoundExpression? Index, BoundType ResultType, bool ResultMayBeNull, TextSpan Span)
    : BoundExpression(ResultType, ResultMayBeNull, Span);

/// <summary>FILTER, MIN, MAX, SUM: the lambda's body evaluated for every element, in list order.</summary>
internal sealed record BoundLambdaOperation(LambdaOperation Operation, BoundExpression List, LocalSymbol Parameter, BoundExpression Body, BoundType ResultType, bool ResultMayBeNull, TextSpan Span)
    : BoundExpression(ResultType, ResultMayBeNull, Span);

internal abstract record BoundStatement(TextSpan Span);

internal sealed record BoundBlock(ImmutableArray<BoundStatement> Statements, TextSpan Span) : BoundStatement(Span);

/// <summary>A list-valued VAR keeps a snapshot: the emitter copies a queue it is initialized with.</summary>
internal sealed record BoundVar(LocalSymbol Symbol, BoundExpression Initializer, TextSpan Span) : BoundStatement(Span);

internal sealed record BoundIf(BoundExpression Condition, BoundBlock Then, BoundStatement? Else, TextSpan Span) : BoundStatement(Span);

internal sealed record BoundForeach(LocalSymbol Variable, BoundExpression List, BoundBlock Body, TextSpan Span) : BoundStatement(Span);

internal sealed record BoundReturn(TextSpan Span) : BoundStatement(Span);

internal sealed record BoundPush(BoundExpression Subflow, BoundExpression Packet, TextSpan Span) : BoundStatement(Span);

internal sealed record BoundSetUser(BoundExpression Subflow, BoundExpression Value, TextSpan Span) : BoundStatement(Span);

internal sealed record BoundDrop(BoundExpression Packet, TextSpan Span) : BoundStatement(Span);

/// <summary>SET(Rn, v) with <see cref="Register"/> = n - 1.</summary>
internal sealed record BoundSet(int Register, BoundExpression Value, TextSpan Span) : BoundStatement(Span);

/// <summary><see cref="Format"/> has its escapes resolved; trailing line breaks are dropped when printed.</summary>
internal sealed record BoundPrint(string Format, BoundExpression? Value, TextSpan Span) : BoundStatement(Span);

internal sealed record BoundVoid(BoundExpression? Value, TextSpan Span) : BoundStatement(Span);

internal sealed record BoundProgram(string Name, BoundBlock Body);
