using System.CommandLine;

namespace ProgMp.Cli.Commands;

/// <summary><c>progmp eval FILE --state STATE.json</c>: one invocation on a described state (LANGUAGE.md).</summary>
internal static class EvalCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "The .progmp scheduler program." };
        var state = new Option<string>("--state")
        {
            Description = "The state as JSON (format in LANGUAGE.md); '-' reads it from standard input.",
            Required = true,
        };
        var command = new Command("eval", "Run one invocation of a scheduler on a described state and print its actions, queues and registers as JSON. Exit code 0: it ran; 1: the program has errors; 2: wrong arguments or state.")
        {
            file,
            state,
        };
        command.SetAction(parse => Run(parse.GetRequiredValue(file), parse.GetRequiredValue(state), output, error));
        return command;
    }

    public static int Run(string file, string statePath, TextWriter output, TextWriter error)
    {
        _ = file;
        _ = statePath;
        _ = output;
        error.WriteLine("progmp: eval is not available yet.");
        return ProgMpCommand.ExitUsage;
    }
}
