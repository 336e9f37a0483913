using System.CommandLine;
using ProgMp.Compiler;
using ProgMp.Compiler.Explanation;
using ProgMp.Runtime.Evaluation;

namespace ProgMp.Cli.Commands;

/// <summary>
/// <c>progmp eval FILE --state STATE.json [--explain [--json]]</c>: one invocation on a described state
/// (docs/language.md, "progmp eval" and "Explaining a decision").
/// </summary>
internal static class EvalCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "The .progmp scheduler program." };
        var state = new Option<string>("--state")
        {
            Description = "The state as JSON (format in docs/language.md, \"progmp eval\"); '-' reads it from standard input.",
            Required = true,
        };
        var explain = new Option<bool>("--explain")
        {
            Description = "Print, instead of the JSON result, why the program decided what it did: each statement reached with its line, "
                + "the conditions and what made them TRUE or FALSE, what each VAR held, which elements FILTER kept and left out, "
                + "which MIN or MAX chose, what each action did, what a NULL made it skip, and the packets put back "
                + "(docs/language.md, \"Explaining a decision\").",
        };
        var json = new Option<bool>("--json")
        {
            Description = "With --explain: print the JSON result as well, after the explanation and a blank line.",
        };
        var command = new Command("eval", "Run one invocation of a scheduler on a described state and print its actions, queues and registers as JSON, or with --explain how it reached them. Exit code 0: it ran; 1: the program has errors; 2: wrong arguments or state. The language, the state and the result: docs/language.md.")
        {
            file,
            state,
            explain,
            json,
        };
        command.SetAction(parse => Run(
            parse.GetRequiredValue(file),
            parse.GetRequiredValue(state),
            output,
            error,
            parse.GetValue(explain),
            parse.GetValue(json)));
        return command;
    }

    public static int Run(string file, string statePath, TextWriter output, TextWriter error, bool explain = false, bool alsoJson = false)
    {
        // The program first: a program with errors exits 1 whatever the state (docs/language.md).
        if (!SourceFile.TryRead(file, error, out var source))
        {
            return ProgMpCommand.ExitUsage;
        }

        var compilation = new SchedulerCompiler().Compile(source, file);
        foreach (var diagnostic in compilation.Diagnostics)
        {
            error.WriteLine(diagnostic);
        }

        if (compilation.Program is not { } program)
        {
            return ProgMpCommand.ExitProgramErrors;
        }

        if (!SourceFile.TryRead(statePath, error, out var json))
        {
            return ProgMpCommand.ExitUsage;
        }

        if (!EvalStateReader.TryRead(json, out var state, out var problem))
        {
            error.WriteLine($"progmp: {(statePath == "-" ? "standard input" : statePath)}: {problem}");
            return ProgMpCommand.ExitUsage;
        }

        // The compiled program decides, in every mode: the explanation is a second run that must agree.
        var context = EvalRunner.Run(program, state);
        foreach (var warning in EvalRunner.Warnings(context))
        {
            error.WriteLine(warning);
        }

        var result = EvalRunner.ToJson(context);
        if (!explain)
        {
            output.WriteLine(result);
            return ProgMpCommand.ExitOk;
        }

        Explain(source, file, json, result, output, error);
        if (alsoJson)
        {
            output.WriteLine();
            output.WriteLine(result);
        }

        return ProgMpCommand.ExitOk;
    }

    /// <summary>Prints the explanation of the same invocation, run again on a fresh copy of the state.</summary>
    private static void Explain(string source, string file, string json, string compiledResult, TextWriter output, TextWriter error)
    {
        // The first run changed its state; the explained run needs the state as the file describes it.
        if (!EvalStateReader.TryRead(json, out var fresh, out _) || SchedulerExplainer.Create(source, file) is not { } explainer)
        {
            error.WriteLine("progmp: internal error: a program and state that eval ran could not be explained.");
            return;
        }

        var context = EvalRunner.Prepare(fresh);
        var lines = explainer.Explain(context);
        foreach (var line in lines)
        {
            output.WriteLine(line);
        }

        if (EvalRunner.ToJson(context) != compiledResult)
        {
            error.WriteLine("progmp: internal error: the explained run decided otherwise than the compiled program, whose result is the one eval reports. Please report it with the program and the state.");
        }
    }
}
