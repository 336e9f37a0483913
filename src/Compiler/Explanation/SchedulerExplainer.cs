using ProgMp.Compiler.Binding;
using ProgMp.Compiler.Interpretation;
using ProgMp.Compiler.Text;
using ProgMp.Runtime;
using ProgMp.Runtime.Execution;

namespace ProgMp.Compiler.Explanation;

/// <summary>
/// <c>progmp eval --explain</c>'s engine: runs one invocation with the tree-walking interpreter and
/// tells, line by line, what the program did and why. Produces text only; printing it is the caller's.
/// </summary>
/// <remarks>
/// The interpreter is the evaluator the compiled code is held against (the differential tests), so
/// an explained invocation decides what the compiled one decides; <c>eval</c> checks that as well.
/// </remarks>
internal sealed class SchedulerExplainer
{
    private readonly BoundProgram _program;
    private readonly Interpreter _interpreter;
    private readonly SourceText _text;

    private SchedulerExplainer(BoundProgram program, SourceText text)
    {
        _program = program;
        _interpreter = new Interpreter(program);
        _text = text;
    }

    /// <summary>Null when the program has errors (compile it to get them).</summary>
    public static SchedulerExplainer? Create(string source, string path)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(path);
        var (bound, _) = SchedulerCompiler.OnCompilerThread(() => SchedulerCompiler.Bind(source, path), path);
        return bound is null ? null : new SchedulerExplainer(bound, new SourceText(source, path));
    }

    /// <summary>
    /// Runs one invocation on a prepared <paramref name="context"/>, exactly as
    /// <see cref="SchedulerContext.Invoke"/> runs any program (unused pops put back), and returns the
    /// account of it, one line per element. Runs on a deep-stack thread, as compilation does: the walk
    /// recurses as deep as the program is nested.
    /// </summary>
    public IReadOnlyList<string> Explain(SchedulerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return SchedulerCompiler.OnCompilerThread(
            () =>
            {
                var tracer = new ExplainTracer(_text, _program.Name, context);
                var traced = new SchedulerProgram(_program.Name, _text.Text, _text.Path, [], c => _interpreter.Run(c, tracer));
                context.Invoke(traced);
                tracer.Finish();
                return tracer.Lines;
            },
            _text.Path);
    }
}
