using System.CommandLine;
using ProgMp.Compiler;
using ProgMp.Runtime.Evaluation;

namespace ProgMp.Cli.Commands;

/// <summary><c>progmp eval FILE --state STATE.json</c>: one invocation on a described state (docs/language.md, "progmp eval").</summary>
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
        var command = new Command("eval", "Run one invocation of a scheduler on a described state and print its actions, queues and registers as JSON. Exit code 0: it ran; 1: the program has errors; 2: wrong arguments or state. The language, the state and the result: docs/language.md.")
        {
            file,
            state,
        };
        command.SetAction(parse => Run(parse.GetRequiredValue(file), parse.GetRequiredValue(state), output, error));
        return command;
    }

    public static int Run(string file, string statePath, TextWriter output, TextWriter error)
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

        var context = EvalRunner.Run(program, state);
        foreach (var warning in EvalRunner.Warnings(context))
        {
            error.WriteLine(warning);
        }

        output.WriteLine(EvalRunner.ToJson(context));
        return ProgMpCommand.ExitOk;
    }
}
