using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using ProgMp.Compiler.Binding;
using ProgMp.Compiler.Diagnostics;
using ProgMp.Compiler.Syntax;
using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Model;

namespace ProgMp.Compiler.Emit;

/// <summary>
/// Bound tree to one <c>System.Linq.Expressions</c> lambda over the invocation context, compiled once.
/// The only parameter is the <see cref="SchedulerContext"/>, so one delegate serves every stream.
/// Values that cannot be NULL are plain <c>long</c>/<c>bool</c>; only where the binder found a possible
/// NULL does the code carry <c>long?</c>/<c>bool?</c> and test for it. FILTER, MIN, MAX and SUM are
/// inlined as loops: no closures, no LINQ, no boxing.
/// </summary>
internal sealed partial class Emitter
{
    private readonly ParameterExpression _context = Expression.Parameter(typeof(SchedulerContext), "context");
    private readonly LabelTarget _return = Expression.Label("return");
    private readonly Dictionary<LocalSymbol, ParameterExpression> _locals = [];

    public static SchedulerBody Compile(BoundProgram program)
    {
        var emitter = new Emitter();
        var lambda = emitter.Build(program);
        return lambda.Compile();
    }

    /// <summary>The lambda before compilation (tests look at it).</summary>
    public Expression<SchedulerBody> Build(BoundProgram program)
    {
        var body = EmitBlock(program.Body);
        var block = Expression.Block(_locals.Values, body, Expression.Label(_return));
        return Expression.Lambda<SchedulerBody>(block, "progmp_" + program.Name, [_context]);
    }

    private ParameterExpression Local(LocalSymbol symbol)
    {
        if (!_locals.TryGetValue(symbol, out var variable))
        {
            variable = Expression.Variable(ClrType(symbol.Type, symbol.MayBeNull), symbol.Name);
            _locals.Add(symbol, variable);
        }

        return variable;
    }

    private static Type ClrType(BoundType type, bool mayBeNull) => type switch
    {
        BoundType.Integer => mayBeNull ? typeof(long?) : typeof(long),
        BoundType.Boolean => mayBeNull ? typeof(bool?) : typeof(bool),
        BoundType.Subflow => typeof(SubflowView),
        BoundType.Packet => typeof(Packet),
        BoundType.PacketList => typeof(PacketList),
        BoundType.SubflowList => typeof(SubflowList),
        BoundType.Null => typeof(object),
        _ => throw new InvalidOperationException($"No run-time type for {type}."),
    };

    private static Type ClrType(BoundExpression expression) => ClrType(expression.Type, expression.MayBeNull);

    // Statements.
    private Expression EmitBlock(BoundBlock block)
    {
        if (block.Statements.IsEmpty)
        {
            return Expression.Empty();
        }

        var statements = new Expression[block.Statements.Length];
        for (var i = 0; i < statements.Length; i++)
        {
            statements[i] = EmitStatement(block.Statements[i]);
        }

        return Expression.Block(typeof(void), statements);
    }

    private Expression EmitStatement(BoundStatement statement)
    {
        EnsureStack();
        return statement switch
        {
            BoundBlock s => EmitBlock(s),
            BoundVar s => EmitVar(s),
            BoundIf s => Expression.IfThenElse(
                Condition(s.Condition),
                EmitBlock(s.Then),
                s.Else is null ? Expression.Empty() : EmitStatement(s.Else)),
            BoundForeach s => EmitForeach(s),
            BoundReturn => Expression.Return(_return),
            BoundPush s => WhenNotNull(s.Subflow, subflow => WhenNotNull(s.Packet, packet =>
                Expression.Call(_context, Members.Push, subflow, packet))),
            BoundSetUser s => WhenNotNull(s.Subflow, subflow => WhenNotNull(s.Value, value =>
                Expression.Call(_context, Members.SetUser, subflow, value))),
            BoundDrop s => WhenNotNull(s.Packet, packet => Expression.Call(_context, Members.Drop, packet)),
            BoundSet s => WhenNotNull(s.Value, value =>
                Expression.Call(_context, Members.SetRegister, Expression.Constant(s.Register), value)),
            BoundPrint s => EmitPrint(s),
            BoundVoid s => s.Value is null ? Expression.Empty() : Expression.Block(typeof(void), Emit(s.Value)),
            _ => throw new InvalidOperationException($"Unexpected statement {statement.GetType().Name}."),
        };
    }

    private BinaryExpression EmitVar(BoundVar statement)
    {
        var variable = Local(statement.Symbol);
        var value = statement.Initializer is BoundQueue
            ? Expression.Call(_context, Members.Snapshot, Emit(statement.Initializer))
            : EmitAs(statement.Initializer, variable.Type);
        return Expression.Assign(variable, value);
    }

    private BlockExpression EmitForeach(BoundForeach statement)
    {
        var list = statement.List is BoundQueue
            ? Expression.Call(_context, Members.Snapshot, Emit(statement.List))
            : Emit(statement.List);
        var variable = Local(statement.Variable);
        var body = EmitBlock(statement.Body);
        return EmitLoop(list, statement.List.MayBeNull, variable, body, restoreArena: true);
    }

    private Expression EmitPrint(BoundPrint statement)
    {
        var format = Expression.Constant(statement.Format);
        if (statement.Value is null)
        {
            return Expression.Call(_context, Members.Print, format, Expression.Constant(0L), Expression.Constant(false));
        }

        if (statement.Value.Type == BoundType.Null)
        {
            return Expression.Empty();
        }

        return WhenNotNull(statement.Value, value =>
        {
            Expression number = statement.Value.Type switch
            {
                BoundType.Integer => value,
                BoundType.Boolean => Expression.Condition(value, Expression.Constant(1L), Expression.Constant(0L)),
                BoundType.Subflow => Expression.Field(value, Members.SubflowId),
                BoundType.Packet => Expression.Field(value, Members.PacketSeq),
                _ => throw new InvalidOperationException("PRINT of a list passed the binder."),
            };
            return Expression.Call(_context, Members.Print, format, number, Expression.Constant(true));
        });
    }

    /// <summary>
    /// Evaluates <paramref name="value"/> and runs <paramref name="action"/> with its non-NULL form, or
    /// does nothing when it is NULL: LANGUAGE.md's "a statement whose target or argument is NULL is
    /// not executed" (a NULL target leaves its arguments unevaluated because they sit inside the action).
    /// </summary>
    private BlockExpression WhenNotNull(BoundExpression value, Func<Expression, Expression> action)
    {
        if (value.Type == BoundType.Null)
        {
            return Expression.Block(typeof(void), Emit(value));
        }

        var emitted = Emit(value);
        if (!value.MayBeNull)
        {
            return EvaluatedFirst(emitted, typeof(void), action);
        }

        var temporary = Expression.Variable(emitted.Type);
        var test = IsNullable(emitted.Type)
            ? (Expression)Expression.Property(temporary, emitted.Type.GetProperty(nameof(Nullable<>.HasValue))!)
            : Expression.ReferenceNotEqual(temporary, Expression.Constant(null, emitted.Type));
        var usable = IsNullable(emitted.Type)
            ? (Expression)Expression.Property(temporary, emitted.Type.GetProperty(nameof(Nullable<>.Value))!)
            : temporary;
        return Expression.Block(
            typeof(void),
            [temporary],
            Expression.Assign(temporary, emitted),
            Expression.IfThen(test, action(usable)));
    }

    /// <summary>
    /// A loop over a list: <paramref name="variable"/> takes each element in order. When the body may
    /// rent list values from the arena, the arena is reset after each pass: nothing made there outlives it.
    /// </summary>
    private BlockExpression EmitLoop(Expression list, bool listMayBeNull, ParameterExpression variable, Expression body, bool restoreArena)
    {
        var isPackets = list.Type == typeof(PacketList);
        var source = Expression.Variable(list.Type, "list");
        var count = Expression.Variable(typeof(int), "count");
        var index = Expression.Variable(typeof(int), "index");
        var packetMark = Expression.Variable(typeof(int), "packetMark");
        var subflowMark = Expression.Variable(typeof(int), "subflowMark");
        var end = Expression.Label("end");
        var packetArena = Expression.Field(_context, Members.PacketArenaUsed);
        var subflowArena = Expression.Field(_context, Members.SubflowArenaUsed);

        var pass = new List<Expression>
        {
            Expression.IfThen(Expression.GreaterThanOrEqual(index, count), Expression.Break(end)),
            Expression.Assign(variable, Expression.Call(source, isPackets ? Members.PacketItemAt : Members.SubflowItemAt, index)),
            body,
        };
        if (restoreArena)
        {
            pass.Add(Expression.Assign(packetArena, packetMark));
            pass.Add(Expression.Assign(subflowArena, subflowMark));
        }

        pass.Add(Expression.PreIncrementAssign(index));

        var run = new List<Expression>
        {
            Expression.Assign(count, Expression.Property(source, isPackets ? Members.PacketCount : Members.SubflowCount)),
            Expression.Assign(index, Expression.Constant(0)),
        };
        if (restoreArena)
        {
            run.Add(Expression.Assign(packetMark, packetArena));
            run.Add(Expression.Assign(subflowMark, subflowArena));
        }

        run.Add(Expression.Loop(Expression.Block(typeof(void), pass), end));
        Expression loop = Expression.Block(typeof(void), run);
        if (listMayBeNull)
        {
            loop = Expression.IfThen(Expression.ReferenceNotEqual(source, Expression.Constant(null, list.Type)), loop);
        }

        return Expression.Block(
            typeof(void),
            [source, count, index, packetMark, subflowMark],
            Expression.Assign(source, list),
            loop);
    }

    private static bool IsNullable(Type type) => Nullable.GetUnderlyingType(type) is not null;

    private static void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new ProgramTooComplexException();
        }
    }

    /// <summary>Reflection handles looked up once, by name, for the emitted code.</summary>
    private static class Members
    {
        public static readonly MethodInfo Push = Method(nameof(SchedulerContext.Push));
        public static readonly MethodInfo Drop = Method(nameof(SchedulerContext.Drop));
        public static readonly MethodInfo SetRegister = Method(nameof(SchedulerContext.SetRegister));
        public static readonly MethodInfo SetUser = Method(nameof(SchedulerContext.SetUser));
        public static readonly MethodInfo GetUser = Method(nameof(SchedulerContext.GetUser));
        public static readonly MethodInfo Print = Method(nameof(SchedulerContext.Print));
        public static readonly MethodInfo Pop = Method(nameof(SchedulerContext.Pop));
        public static readonly MethodInfo SentOnAll = Method(nameof(SchedulerContext.SentOnAll));
        public static readonly MethodInfo NextRandom = Method(nameof(SchedulerContext.NextRandom));
        public static readonly MethodInfo Snapshot = Method(nameof(SchedulerContext.Snapshot));
        public static readonly MethodInfo RentFiltered = Method(nameof(SchedulerContext.RentFiltered));
        public static readonly MethodInfo RentSubflows = Method(nameof(SchedulerContext.RentSubflows));

        public static readonly FieldInfo Q = ContextField(nameof(SchedulerContext.Q));
        public static readonly FieldInfo QU = ContextField(nameof(SchedulerContext.QU));
        public static readonly FieldInfo RQ = ContextField(nameof(SchedulerContext.RQ));
        public static readonly FieldInfo Registers = ContextField(nameof(SchedulerContext.Registers));
        public static readonly FieldInfo Subflows = ContextField(nameof(SchedulerContext.Subflows));
        public static readonly FieldInfo NowMs = ContextField(nameof(SchedulerContext.NowMs));
        public static readonly FieldInfo PacketArenaUsed = ContextField(nameof(SchedulerContext.PacketArenaUsed));
        public static readonly FieldInfo SubflowArenaUsed = ContextField(nameof(SchedulerContext.SubflowArenaUsed));

        public static readonly FieldInfo PacketSeq = typeof(Packet).GetField(nameof(Packet.Seq))!;
        public static readonly FieldInfo PacketLength = typeof(Packet).GetField(nameof(Packet.Length))!;
        public static readonly FieldInfo PacketUser = typeof(Packet).GetField(nameof(Packet.User))!;
        public static readonly FieldInfo PacketPsh = typeof(Packet).GetField(nameof(Packet.Psh))!;
        public static readonly FieldInfo PacketSentOnMask = typeof(Packet).GetField(nameof(Packet.SentOnMask))!;

        public static readonly FieldInfo SubflowId = SubflowField(nameof(SubflowView.Id));
        public static readonly FieldInfo SubflowBit = SubflowField(nameof(SubflowView.Bit));
        public static readonly FieldInfo SubflowWindow = SubflowField(nameof(SubflowView.WindowBytes));

        public static readonly PropertyInfo PacketCount = typeof(PacketList).GetProperty(nameof(PacketList.Count))!;
        public static readonly PropertyInfo PacketIsEmpty = typeof(PacketList).GetProperty(nameof(PacketList.IsEmpty))!;
        public static readonly PropertyInfo PacketTop = typeof(PacketList).GetProperty(nameof(PacketList.Top))!;
        public static readonly MethodInfo PacketItemAt = typeof(PacketList).GetMethod(nameof(PacketList.ItemAt))!;
        public static readonly MethodInfo PacketGet = typeof(PacketList).GetMethod(nameof(PacketList.Get))!;
        public static readonly MethodInfo PacketAdd = typeof(PacketList).GetMethod(nameof(PacketList.Add))!;

        public static readonly PropertyInfo SubflowCount = typeof(SubflowList).GetProperty(nameof(SubflowList.Count))!;
        public static readonly PropertyInfo SubflowIsEmpty = typeof(SubflowList).GetProperty(nameof(SubflowList.IsEmpty))!;
        public static readonly MethodInfo SubflowItemAt = typeof(SubflowList).GetMethod(nameof(SubflowList.ItemAt))!;
        public static readonly MethodInfo SubflowGet = typeof(SubflowList).GetMethod(nameof(SubflowList.Get))!;
        public static readonly MethodInfo SubflowAdd = typeof(SubflowList).GetMethod(nameof(SubflowList.Add))!;

        public static readonly MethodInfo Divide = typeof(Arithmetic).GetMethod(nameof(Arithmetic.Divide))!;
        public static readonly MethodInfo Modulo = typeof(Arithmetic).GetMethod(nameof(Arithmetic.Modulo))!;

        public static FieldInfo SubflowField(string name) => typeof(SubflowView).GetField(name)!;

        private static MethodInfo Method(string name) => typeof(SchedulerContext).GetMethod(name)!;

        private static FieldInfo ContextField(string name) => typeof(SchedulerContext).GetField(name)!;
    }
}
