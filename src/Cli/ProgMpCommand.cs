using System.CommandLine;
using System.CommandLine.Parsing;
using ProgMp.Cli.Commands;

namespace ProgMp.Cli;

/// <summary>
/// The <c>progmp</c> command line. Wrong arguments exit with 2 and a one-line reason (as <c>eval</c>'s
/// contract asks of every verb); the verbs themselves decide 0 and 1.
/// </summary>
internal static class ProgMpCommand
{
    public const int ExitOk = 0;
    public const int ExitProgramErrors = 1;
    public const int ExitUsage = 2;

    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("ProgMp: programmable multipath transport. Write a multipath scheduler as a .progmp program, check it, try its decisions, and run it over live TCP subflows.");
        root.Subcommands.Add(CheckCommand.Create(output, error));
        root.Subcommands.Add(EvalCommand.Create(output, error));
        root.Subcommands.Add(DemoCommand.Create(output, error));
        root.Subcommands.Add(CtlCommand.Create(output, error));
        root.Subcommands.Add(ProxyCommand.Create(output, error));
        root.Subcommands.Add(KeyCommand.Create(output, error));
        root.Subcommands.Add(EmulatePathCommand.Create(output, error));
        root.Subcommands.Add(CompareCommand.Create(output, error));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build(output, error);
        if (args.Length == 0)
        {
            // Bare 'progmp': the overview is more useful than "required command was not provided".
            await root.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }).ConfigureAwait(false);
            return ExitUsage;
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && !IsHelpRequest(args))
        {
            // An unknown verb also leaves its parent without a verb: say the first, not both.
            var unknown = parsed.Errors.Any(e => e.Message.StartsWith(UnrecognizedPrefix, StringComparison.Ordinal));
            foreach (var problem in parsed.Errors.Where(e => !unknown || e.Message != MissingCommand))
            {
                await error.WriteLineAsync($"progmp: {problem.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync($"Run 'progmp {VerbPath(parsed.CommandResult)}--help' for usage.").ConfigureAwait(false);
            return ExitUsage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,

            // Set explicitly: left unset, System.CommandLine 2.0.0 lets Ctrl+C (SIGINT) and SIGTERM kill
            // the process at once, and a long verb (demo) never gets to restore the terminal or close its sockets.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(3),
        };
        return await parsed.InvokeAsync(configuration).ConfigureAwait(false);
    }

    private const string UnrecognizedPrefix = "Unrecognized command or argument";
    private const string MissingCommand = "Required command was not provided.";

    /// <summary>The verbs from the root down to the one that failed, each followed by a space (<c>proxy remote </c>); empty for the root.</summary>
    private static string VerbPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? at = result; at is CommandResult command && command.Parent is not null; at = command.Parent)
        {
            names.Insert(0, command.Command.Name);
        }

        return string.Concat(names.Select(name => name + " "));
    }

    private static bool IsHelpRequest(string[] args) => args.Any(a => a is "-h" or "--help" or "-?");
}
