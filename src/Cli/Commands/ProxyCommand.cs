using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using ProgMp.Cli.Proxy;
using ProgMp.Engine;
using ProgMp.Proxy.Control;
using ProgMp.Proxy;
using ProgMp.Runtime.Registry;

namespace ProgMp.Cli.Commands;

/// <summary>
/// <c>progmp proxy remote|local</c>: the TM3 / MPTCP-proxy pair. Legacy TCP goes into the local proxy
/// (SOCKS5 or fixed forward ports), multipath between the two, legacy TCP out of the remote proxy.
/// Both print one line on standard output once listening (<c>listening on ...</c>), log on standard
/// error, and stop cleanly with exit code 0 on Ctrl+C or SIGTERM. Exit code 1: could not start (a
/// scheduler with errors, an address in use); 2: wrong arguments.
/// </summary>
internal static class ProxyCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("proxy", "Run one half of the proxy pair that gives unmodified TCP clients and servers multipath transport: 'local' beside the clients, 'remote' beside the servers. Each prints 'listening on ...' on standard output when ready, logs on standard error, and stops with exit code 0 on Ctrl+C or SIGTERM; exit code 1: it could not start (a scheduler with errors, an address in use); 2: wrong arguments, including a key or authorized-clients file that cannot be used.");
        command.Subcommands.Add(CreateRemote(output, error));
        command.Subcommands.Add(CreateLocal(output, error));
        return command;
    }

    private static Command CreateRemote(TextWriter output, TextWriter error)
    {
        var listen = new Option<string[]>("--listen")
        {
            Description = "ADDRESS:PORT to accept subflows on ([ADDRESS]:PORT for IPv6); repeat for one per path.",
            Required = true,
            HelpName = "ADDRESS:PORT",
        };
        var allow = new Option<string[]>("--allow")
        {
            Description = "A destination streams may connect to: HOST, IP or CIDR, optionally :PORT ([IPV6]:PORT). Repeat for more. Default: loopback only (127.0.0.0/8, ::1).",
            HelpName = "HOST|CIDR[:PORT]",
        };
        var key = KeyOption("The remote proxy's identity, made by 'progmp key create' (a file only its owner may read).");
        var authorized = new Option<string?>("--authorized-clients")
        {
            Description = "The clients admitted: one 'PUBLIC-ID [NAME]' a line, '#' comments. Re-read when it changes: a removed line refuses that client's next session and ends its live ones.",
            HelpName = "FILE",
        };
        var insecure = InsecureOption("No authentication, no encryption: anyone who reaches the port gets a session. Loopback addresses only.");
        var common = new CommonOptions();
        var command = new Command("remote", "Accept multipath sessions from authorized clients and connect each stream to the TCP destination it names, if --allow allows it.")
        {
            listen,
            allow,
            key,
            authorized,
            insecure,
        };
        common.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunRemoteAsync(
            parse.GetValue(listen) ?? [],
            parse.GetValue(allow) ?? [],
            new CredentialFlags(parse.GetValue(key), parse.GetValue(authorized), parse.GetValue(insecure)),
            common.Read(parse),
            output,
            error,
            cancellationToken));
        return command;
    }

    private static Command CreateLocal(TextWriter output, TextWriter error)
    {
        var paths = new Option<string[]>("--path")
        {
            Description = "A path to the remote proxy: [LOCALIP@]HOST:PORT[,backup]; LOCALIP binds the subflow to an interface's address. Repeat for one subflow per path.",
            Required = true,
            HelpName = "[LOCALIP@]HOST:PORT[,backup]",
        };
        var socks = new Option<string?>("--socks")
        {
            Description = "ADDRESS:PORT of a SOCKS5 server (no authentication, CONNECT) whose connections go to the destinations the clients name.",
            HelpName = "ADDRESS:PORT",
        };
        var forwards = new Option<string[]>("--forward")
        {
            Description = "ADDRESS:PORT=DESTHOST:DESTPORT: every connection to ADDRESS:PORT goes to DESTHOST:DESTPORT as the remote proxy sees it. Repeat for more.",
            HelpName = "ADDRESS:PORT=DESTHOST:DESTPORT",
        };
        var key = KeyOption("The local proxy's identity, made by 'progmp key create' (a file only its owner may read); its public id goes in the remote proxy's --authorized-clients.");
        var remoteId = new Option<string?>("--remote-id")
        {
            Description = "The remote proxy's public id (pmp-...), as 'progmp key show' prints it: the only server this proxy talks to.",
            HelpName = "ID",
        };
        var insecure = InsecureOption("No authentication, no encryption: for a remote proxy run with --insecure-plaintext on loopback.");
        var common = new CommonOptions();
        var command = new Command("local", "Keep one authenticated, encrypted multipath session to a remote proxy over every --path, and carry each TCP connection accepted on --socks or a --forward port as one stream of it.")
        {
            paths,
            socks,
            forwards,
            key,
            remoteId,
            insecure,
        };
        common.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunLocalAsync(
            parse.GetValue(paths) ?? [],
            parse.GetValue(socks),
            parse.GetValue(forwards) ?? [],
            new CredentialFlags(parse.GetValue(key), parse.GetValue(remoteId), parse.GetValue(insecure)),
            common.Read(parse),
            output,
            error,
            cancellationToken));
        return command;
    }

    private static Option<string?> KeyOption(string description) => new("--key") { Description = description, HelpName = "FILE" };

    private static Option<bool> InsecureOption(string description) => new("--insecure-plaintext") { Description = description };

    private static async Task<int> RunRemoteAsync(string[] listenTexts, string[] allowTexts, CredentialFlags credentials, CommonSettings common, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // First, so a signal during start-up is kept until the proxy can stop cleanly.
        using var stop = new ShutdownSignal(cancellationToken);
        var listen = new List<IPEndPoint>();
        foreach (var text in listenTexts)
        {
            if (!ProxyArguments.TryParseListen("--listen", text, out var endpoint, out var problem))
            {
                return Usage(error, problem);
            }

            listen.Add(endpoint);
        }

        if (!AllowList.TryParse(allowTexts, out var allowList, out var allowProblem))
        {
            return Usage(error, "--allow " + allowProblem);
        }

        if (!ProxySecurity.TryCreateRemote(credentials.Key, credentials.Peer, credentials.Insecure, listen, out var security, out var securityProblem))
        {
            return Usage(error, securityProblem);
        }

        if (!TryPrepareCommon(common, error, out var failed, out var control, out var registry))
        {
            return failed;
        }

        using var logs = ConsoleLogging.Create(common.LogLevel);
        var options = new MultipathOptions { Registry = registry, DefaultScheduler = common.DefaultScheduler, Security = security };
        await using var proxy = new RemoteProxy(listen, allowList, options, logs);
        try
        {
            proxy.Start();
        }
        catch (SocketException e)
        {
            error.WriteLine($"progmp: cannot listen on {string.Join(", ", listen)}: {e.Message}");
            return ProgMpCommand.ExitProgramErrors;
        }

        var logger = logs.CreateLogger("progmp");
        CliLog.RemoteStarted(logger, allowList.ToString(), common.DefaultScheduler);
        CliLog.Security(logger, security.ToString());
        await using var controlEndpoint = control is null ? null : await control.StartAsync(options, () => proxy.Sessions, "proxy remote", stop, logs).ConfigureAwait(false);
        if (controlEndpoint is not null)
        {
            // Never a destination, as the multipath ports are not.
            proxy.OwnEndPoints.Add(controlEndpoint.LocalEndPoint);
        }

        var listening = proxy.LocalEndPoints.Select(e => e.ToString()).ToList();
        return await ServeUntilStoppedAsync(listening, controlEndpoint, output, logger, stop).ConfigureAwait(false);
    }

    private static async Task<int> RunLocalAsync(string[] pathTexts, string? socksText, string[] forwardTexts, CredentialFlags credentials, CommonSettings common, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var stop = new ShutdownSignal(cancellationToken);
        var paths = new List<MultipathPath>();
        foreach (var text in pathTexts)
        {
            if (!ProxyArguments.TryParsePath(text, out var path, out var problem))
            {
                return Usage(error, problem);
            }

            paths.Add(path);
        }

        if (paths.Count > LocalProxy.MaxPaths)
        {
            return Usage(error, $"{paths.Count} --path options; a session has at most {LocalProxy.MaxPaths} paths");
        }

        IPEndPoint? socks = null;
        if (socksText is not null && !ProxyArguments.TryParseListen("--socks", socksText, out socks, out var socksProblem))
        {
            return Usage(error, socksProblem);
        }

        var forwards = new List<ForwardRule>();
        foreach (var text in forwardTexts)
        {
            if (!ProxyArguments.TryParseForward(text, out var rule, out var problem))
            {
                return Usage(error, problem);
            }

            forwards.Add(rule);
        }

        if (socks is null && forwards.Count == 0)
        {
            return Usage(error, "nothing to listen on: give --socks ADDRESS:PORT, --forward ADDRESS:PORT=DESTHOST:DESTPORT, or both");
        }

        if (!ProxySecurity.TryCreateLocal(credentials.Key, credentials.Peer, credentials.Insecure, out var security, out var securityProblem))
        {
            return Usage(error, securityProblem);
        }

        if (!TryPrepareCommon(common, error, out var failed, out var control, out var registry))
        {
            return failed;
        }

        using var logs = ConsoleLogging.Create(common.LogLevel);
        var options = new MultipathOptions { Registry = registry, DefaultScheduler = common.DefaultScheduler, Security = security };
        await using var proxy = new LocalProxy(paths, socks, forwards, options, logs);
        try
        {
            proxy.Start();
        }
        catch (SocketException e)
        {
            var endpoints = forwards.Select(f => f.Listen).Prepend(socks).OfType<IPEndPoint>();
            error.WriteLine($"progmp: cannot listen on {string.Join(", ", endpoints)}: {e.Message}");
            return ProgMpCommand.ExitProgramErrors;
        }

        var logger = logs.CreateLogger("progmp");
        CliLog.LocalStarted(logger, string.Join(", ", pathTexts), common.DefaultScheduler);
        CliLog.Security(logger, security.IsPlaintext ? security.ToString() : $"{security}, remote proxy {security.ServerId}");
        var listening = proxy.Forwards.Select(f => "forward " + f).ToList();
        if (proxy.SocksEndPoint is { } bound)
        {
            listening.Insert(0, "socks " + bound);
        }

        await using var controlEndpoint = control is null ? null : await control.StartAsync(options, () => proxy.Session is { } session ? [session] : [], "proxy local", stop, logs).ConfigureAwait(false);
        return await ServeUntilStoppedAsync(listening, controlEndpoint, output, logger, stop).ConfigureAwait(false);
    }

    /// <summary>What both proxies check before they start: the control endpoint's flags and the scheduler library; false with the exit code when one is wrong.</summary>
    private static bool TryPrepareCommon(CommonSettings common, TextWriter error, out int exitCode, out ControlHosting? control, [NotNullWhen(true)] out SchedulerRegistry? registry)
    {
        registry = null;
        control = ControlHosting.TryCreate(common, out var controlProblem);
        if (controlProblem is not null)
        {
            exitCode = Usage(error, controlProblem);
            return false;
        }

        exitCode = SchedulerSetup.TryCreate(common.Schedulers, [("--default-scheduler", common.DefaultScheduler)], error, out registry);
        return registry is not null;
    }

    /// <summary>Prints the ready line (the control URL last, in one form for both proxies, so one parser reads both) and runs until a signal.</summary>
    private static async Task<int> ServeUntilStoppedAsync(List<string> listening, ControlEndpoint? controlEndpoint, TextWriter output, ILogger logger, ShutdownSignal stop)
    {
        if (controlEndpoint is not null)
        {
            listening.Add($"control http://{controlEndpoint.LocalEndPoint}");
        }

        output.WriteLine($"listening on {string.Join(", ", listening)}");
        await stop.WaitAsync().ConfigureAwait(false);
        CliLog.Stopping(logger);
        return ProgMpCommand.ExitOk;
    }

    private static int Usage(TextWriter error, string problem)
    {
        error.WriteLine("progmp: " + problem);
        return ProgMpCommand.ExitUsage;
    }
}
