using System.CommandLine;
using ProgMp.Cli.Control;
using ProgMp.Proxy.Control;

namespace ProgMp.Cli.Commands;

/// <summary>
/// <c>progmp ctl URL VERB ...</c>: steer a running engine through its control endpoint (docs/control.md).
/// Exit code 0: done; 1: the endpoint refused (the reason is printed) or could not be reached, or the
/// program to load has errors; 2: wrong arguments.
/// </summary>
internal static partial class CtlCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var url = new Argument<string>("URL") { Description = "The control endpoint, like http://127.0.0.1:7070." };
        var tokenFile = new Option<string>("--token-file")
        {
            Description = "A file holding the endpoint's bearer token (readable by its owner only).",
            Required = true,
            Recursive = true,
        };
        var command = new Command("ctl", "Talk to a running engine's control endpoint: health, schedulers, load a scheduler, use it, set a register, stats, a stream's decision trace, add or remove a path, close.")
        {
            url,
            tokenFile,
        };

        // Each verb: its arguments, and what it does with a client once the URL and token are good.
        void Verb(Command verb, Command parent, Func<ParseResult, ControlClient, CancellationToken, Task> run) =>
            AddVerb(verb, parent, url, tokenFile, output, error, run);

        Verb(new Command("health", "Is the engine there: its role, sessions and schedulers."), command, (_, client, ct) => HealthAsync(client, output, ct));
        Verb(new Command("schedulers", "The loaded schedulers: name, file, warnings; the default."), command, (_, client, ct) => SchedulersAsync(client, output, ct));

        var file = new Argument<string>("FILE") { Description = "The .progmp program to load (replaces a loaded one of the same name)." };
        Verb(new Command("load", "Compile a scheduler and load it into the engine; errors print as 'check' prints them.") { file }, command, (parse, client, ct) => LoadAsync(client, parse.GetRequiredValue(file), output, ct));

        var unloadName = new Argument<string>("NAME") { Description = "The scheduler to remove." };
        Verb(new Command("unload", "Remove a loaded scheduler (streams running it fall back to the default).") { unloadName }, command, (parse, client, ct) => UnloadAsync(client, parse.GetRequiredValue(unloadName), output, ct));

        var useName = new Argument<string>("NAME") { Description = "A loaded scheduler." };
        var useStream = StreamOption();
        var useSession = SessionOption();
        Verb(
            new Command("use", "Choose the default scheduler, or with --stream one stream's (or every stream's) scheduler.") { useName, useStream, useSession },
            command,
            (parse, client, ct) => UseAsync(client, parse.GetRequiredValue(useName), parse.GetValue(useStream), parse.GetValue(useSession), output, ct));

        var register = new Argument<string>("REGISTER") { Description = "R1 to R6." };
        var value = new Argument<string>("VALUE") { Description = "A 64-bit integer." };
        var setStream = StreamOption();
        var setSession = SessionOption();
        Verb(
            new Command("set", "Set a register for new streams, or with --stream for one stream (or every stream).") { register, value, setStream, setSession },
            command,
            (parse, client, ct) => SetAsync(client, parse.GetRequiredValue(register), parse.GetRequiredValue(value), parse.GetValue(setStream), parse.GetValue(setSession), output, ct));

        var json = new Option<bool>("--json") { Description = "Print the endpoint's JSON as it came." };
        Verb(new Command("stats", "Per session, subflow and stream figures as a table.") { json }, command, (parse, client, ct) => StatsAsync(client, parse.GetValue(json), output, ct));

        var path = new Command("path", "Add, remove or mark a path of a client session.");
        command.Subcommands.Add(path);
        var spec = new Argument<string>("SPEC") { Description = "[LOCALIP@]HOST:PORT[,backup]" };
        var addSession = SessionOption();
        Verb(new Command("add", "Add a path: a new subflow from LOCALIP (if given) to HOST:PORT.") { spec, addSession }, path, (parse, client, ct) => PathAddAsync(client, parse.GetRequiredValue(spec), parse.GetValue(addSession), output, ct));
        var removeId = PathIdArgument();
        var removeSession = SessionOption();
        Verb(new Command("remove", "Remove a path: its subflows close, what they carried is sent again elsewhere.") { removeId, removeSession }, path, (parse, client, ct) => PathRemoveAsync(client, parse.GetRequiredValue(removeId), parse.GetValue(removeSession), output, ct));
        var backupId = PathIdArgument();
        var onOff = new Argument<string>("on|off") { Description = "on: the path is a backup (IS_BACKUP); off: a regular path." };
        onOff.AcceptOnlyFromAmong("on", "off");
        var backupSession = SessionOption();
        Verb(new Command("backup", "Mark a path backup or regular.") { backupId, onOff, backupSession }, path, (parse, client, ct) => PathBackupAsync(client, parse.GetRequiredValue(backupId), parse.GetRequiredValue(onOff) == "on", parse.GetValue(backupSession), output, ct));

        command.Subcommands.Add(TraceCommand(Verb, output));

        var closeSession = new Option<string>("--session") { Description = "Close this session only; without it the whole engine shuts down." };
        Verb(new Command("close", "Close one session, or without --session the whole engine.") { closeSession }, command, (parse, client, ct) => CloseAsync(client, parse.GetValue(closeSession), output, ct));
        return command;
    }

    private static Option<string> StreamOption() => new("--stream") { Description = "A stream id, or 'all' for every open stream (of --session, or of every session)." };

    private static Option<string> SessionOption() => new("--session") { Description = "The session's id; may be left out when the engine has one session." };

    private static Argument<string> PathIdArgument() => new("ID") { Description = "The path's id (see 'stats')." };

    private static void AddVerb(Command verb, Command parent, Argument<string> url, Option<string> tokenFile, TextWriter output, TextWriter error, Func<ParseResult, ControlClient, CancellationToken, Task> run)
    {
        verb.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var endpoint = ControlClient.ParseUrl(parse.GetValue(url));
                if (!ControlToken.TryReadFile(parse.GetRequiredValue(tokenFile), out var token, out var problem))
                {
                    throw CtlException.Usage(problem);
                }

                using var client = new ControlClient(endpoint, token);
                await run(parse, client, cancellationToken).ConfigureAwait(false);
                return ProgMpCommand.ExitOk;
            }
            catch (CtlException e)
            {
                // Diagnostics go where 'check' puts them, the reason where every verb's reason goes.
                foreach (var diagnostic in e.Diagnostics)
                {
                    await output.WriteLineAsync(diagnostic.Text).ConfigureAwait(false);
                }

                await error.WriteLineAsync("progmp: " + e.Message).ConfigureAwait(false);
                return e.ExitCode;
            }
        });
        parent.Subcommands.Add(verb);
    }
}
