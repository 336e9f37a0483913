using ProgMp.Compiler.Binding;
using ProgMp.Runtime;
using ProgMp.Runtime.Execution;

namespace ProgMp.Compiler.Interpretation;

/// <summary>
/// The second evaluator of the language: walks the bound tree directly, rule by rule as LANGUAGE.md
/// states them, with no code generation. It exists to cross-check the compiled delegates (a
/// differential test runs both on generated programs and states); it is not the engine's path.
/// </summary>
/// <remarks>
/// Immutable once built, like a compiled program: each invocation gets its own
/// <see cref="TreeWalker"/> with its own variables, so one interpreter serves any number of streams.
/// </remarks>
internal sealed class Interpreter
{
    private readonly BoundProgram _program;
    private readonly Dictionary<LocalSymbol, int> _slots;

    public Interpreter(BoundProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        _program = program;
        _slots = LocalSlots.Assign(program);
    }

    /// <summary>
    /// A <see cref="SchedulerProgram"/> whose body interprets <paramref name="bound"/>, so that it runs
    /// through <see cref="SchedulerContext.Invoke"/> exactly like a compiled one (put-back of unused
    /// pops and all).
    /// </summary>
    public static SchedulerProgram CreateProgram(
        BoundProgram bound,
        string source,
        string? path = null,
        IReadOnlyList<SchedulerDiagnostic>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(bound);
        ArgumentNullException.ThrowIfNull(source);
        var interpreter = new Interpreter(bound);
        return new SchedulerProgram(bound.Name, source, path, warnings ?? [], interpreter.Run);
    }

    /// <summary>One invocation: the program from the top until its end or a RETURN.</summary>
    public void Run(SchedulerContext context) => Run(context, null);

    /// <summary>One invocation, reported step by step to <paramref name="tracer"/> when there is one.</summary>
    public void Run(SchedulerContext context, IInterpreterTracer? tracer)
    {
        ArgumentNullException.ThrowIfNull(context);
        new TreeWalker(_slots, context, tracer).Run(_program.Body);
    }
}
