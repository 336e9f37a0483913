using ProgMp.Compiler.Binding;
using ProgMp.Compiler.Diagnostics;
using ProgMp.Compiler.Emit;
using ProgMp.Compiler.Interpretation;
using ProgMp.Compiler.Parsing;
using ProgMp.Compiler.Syntax;
using ProgMp.Compiler.Text;
using ProgMp.Runtime;
using ProgMp.Runtime.Registry;

namespace ProgMp.Compiler;

/// <summary>
/// Compiles ProgMp scheduler programs (the language of docs/language.md) into delegates: parse, bind and check, emit a
/// <c>System.Linq.Expressions</c> lambda, compile it once. Never throws for a bad program: every
/// problem comes back as a diagnostic. Thread-safe; hand one to a <see cref="SchedulerRegistry"/>.
/// </summary>
public sealed class SchedulerCompiler : ISchedulerCompiler
{
    // The passes recurse over the tree; a long operator chain (tens of thousands of terms) needs a
    // deep stack, so compilation runs on a thread of its own with room to spare. Anything deeper
    // still is caught by the passes' stack checks and reported as PMP0010.
    private const int CompilerStackBytes = 256 * 1024 * 1024;

    /// <inheritdoc/>
    public SchedulerCompilation Compile(string source, string path)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(path);
        return OnCompilerThread(() => CompileOnThisThread(source, path), path);
    }

    /// <summary>
    /// Like <see cref="Compile"/>, but the program's body is the tree-walking interpreter over the bound
    /// tree instead of a compiled delegate: the second evaluator that the differential tests hold the
    /// compiled code against.
    /// </summary>
    internal static SchedulerCompilation CompileInterpreted(string source, string path)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(path);
        return OnCompilerThread(
            () =>
            {
                var (bound, diagnostics) = Bind(source, path);
                if (bound is null)
                {
                    return new SchedulerCompilation(null, diagnostics);
                }

                var warnings = diagnostics.Where(d => !d.IsError).ToArray();
                return new SchedulerCompilation(Interpreter.CreateProgram(bound, source, path, warnings), diagnostics);
            },
            path);
    }

    /// <summary>Parses and binds without emitting: what <c>check</c>, the interpreter and tests need.</summary>
    internal static (BoundProgram? Program, IReadOnlyList<SchedulerDiagnostic> Diagnostics) Bind(string source, string path)
    {
        var text = new SourceText(source, path);
        var diagnostics = new DiagnosticBag(text);
        BoundProgram? bound = null;
        try
        {
            if (SyntaxParser.Parse(text, diagnostics) is { } syntax)
            {
                bound = new Binder(diagnostics).BindProgram(syntax);
            }
        }
        catch (ProgramTooComplexException)
        {
            diagnostics.Report(DiagnosticDescriptors.ProgramTooComplex, new TextSpan(0, 0));
            bound = null;
        }

        return (diagnostics.HasErrors ? null : bound, diagnostics.ToSortedList());
    }

    /// <summary>
    /// Runs a pass on a thread with a deep stack (see <see cref="CompilerStackBytes"/>); the explainer's
    /// binding and tree walk recurse as deep and run here too.
    /// </summary>
    internal static T OnCompilerThread<T>(Func<T> pass, string path)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = pass();
                }
#pragma warning disable CA1031 // Rethrown on the caller's thread below: a compiler bug must not vanish on a helper thread.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failure = e;
                }
            },
            CompilerStackBytes)
        {
            Name = "progmp-compile",
            IsBackground = true,
        };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException($"Internal compiler error while compiling {path}.", failure);
        }

        return result!;
    }

    private static SchedulerCompilation CompileOnThisThread(string source, string path)
    {
        var (bound, diagnostics) = Bind(source, path);
        if (bound is null)
        {
            return new SchedulerCompilation(null, diagnostics);
        }

        try
        {
            var body = Emitter.Compile(bound);
            var warnings = diagnostics.Where(d => !d.IsError).ToArray();
            return new SchedulerCompilation(new SchedulerProgram(bound.Name, source, path, warnings, body), diagnostics);
        }
        catch (ProgramTooComplexException)
        {
            var text = new SourceText(source, path);
            var bag = new DiagnosticBag(text);
            bag.Report(DiagnosticDescriptors.ProgramTooComplex, new TextSpan(0, 0));
            return new SchedulerCompilation(null, [.. diagnostics, .. bag.ToSortedList()]);
        }
    }
}
