using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using ProgMp.Emulation;

namespace ProgMp.Cli.Commands;

/// <summary>
/// <c>progmp emulate-path</c>: one emulated network path (delay, rate, scripted faults) as a TCP relay,
/// because kernel netem is not available everywhere ProgMp is tried out. Runs until Ctrl+C or SIGTERM.
/// </summary>
internal static class EmulatePathCommand
{
    // Far beyond any real path, and small enough that no conversion to TimeSpan or ticks overflows.
    private const double MaximumDelayMilliseconds = 60_000;
    private const double MaximumRateMbitPerSecond = 1_000_000;
    private const double MaximumScheduleSeconds = 10_000_000;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var listen = new Option<IPEndPoint>("--listen")
        {
            Description = "Where to accept connections, ADDR:PORT (an IP address; [::1]:PORT for IPv6; port 0 picks a free one and logs it).",
            Required = true,
            CustomParser = result => ParseEndPoint(result, requireAddress: true) is { } endPoint ? new IPEndPoint(IPAddress.Parse(endPoint.Host), endPoint.Port) : null,
        };
        var to = new Option<DnsEndPoint>("--to")
        {
            Description = "Where to relay each connection, HOST:PORT.",
            Required = true,
            CustomParser = result => ParseEndPoint(result, requireAddress: false),
        };
        var delay = new Option<double>("--delay")
        {
            Description = "One-way delay in milliseconds, each direction (default 0): a round trip takes at least twice this.",
            HelpName = "MS",
            CustomParser = result => ParseNumber(result, allowZero: true, MaximumDelayMilliseconds) ?? 0,
        };
        var rate = new Option<double?>("--rate")
        {
            Description = "Bottleneck rate in Mbit/s, each direction (default unlimited); the queue before it holds max(64 KiB, 20 ms at the rate).",
            HelpName = "MBIT",
            CustomParser = result => ParseNumber(result, allowZero: false, MaximumRateMbitPerSecond),
        };
        var failAt = new Option<double?>("--fail-at")
        {
            Description = "Fail the path this many seconds after it starts listening.",
            HelpName = "S",
            CustomParser = result => ParseNumber(result, allowZero: true, MaximumScheduleSeconds),
        };
        var restoreAt = new Option<double?>("--restore-at")
        {
            Description = "Restore the failed path this many seconds after it starts listening (after --fail-at).",
            HelpName = "S",
            CustomParser = result => ParseNumber(result, allowZero: true, MaximumScheduleSeconds),
        };
        var failMode = new Option<PathFailureMode>("--fail-mode")
        {
            Description = "rst: reset every connection, and new ones until restored; blackhole: forward nothing, keep connections open, deliver what was held once restored. Default rst.",
            HelpName = "rst|blackhole",
            CustomParser = ParseFailureMode,
        };

        var verbose = new Option<bool>("--verbose")
        {
            Description = "Also log every connection: accepted, closed with its byte counts, or reset and why.",
        };

        var command = new Command("emulate-path", "Relay TCP connections through one emulated path: a one-way delay and rate limit each way, and a scripted failure (reset or blackhole) and restore. Logs when it listens, fails and restores, and the byte counts when stopped with Ctrl+C or SIGTERM. Exit code 0: stopped; 1: could not listen; 2: wrong arguments.")
        {
            listen,
            to,
            delay,
            rate,
            failAt,
            restoreAt,
            failMode,
            verbose,
        };
        command.Validators.Add(result =>
        {
            var failing = result.GetValue(failAt);
            if (result.GetResult(restoreAt) is not null && failing is null)
            {
                result.AddError("--restore-at needs --fail-at.");
            }
            else if (result.GetValue(restoreAt) is { } restoring && failing is { } failingAt && !(restoring > failingAt))
            {
                result.AddError("--restore-at must come after --fail-at.");
            }

            if (result.GetResult(failMode) is not null && failing is null)
            {
                result.AddError("--fail-mode needs --fail-at.");
            }
        });

        command.SetAction((parse, cancellationToken) =>
        {
            var profile = new PathProfile(TimeSpan.FromMilliseconds(parse.GetValue(delay)), parse.GetValue(rate));
            PathFaultSchedule? schedule = null;
            if (parse.GetValue(failAt) is { } failing)
            {
                var mode = parse.GetValue(failMode);
                var restoring = parse.GetValue(restoreAt) is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
                schedule = new PathFaultSchedule(TimeSpan.FromSeconds(failing), mode, restoring);
            }

            var level = parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information;
            return RunAsync(parse.GetRequiredValue(listen), parse.GetRequiredValue(to), profile, schedule, level, error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(IPEndPoint listen, DnsEndPoint to, PathProfile profile, PathFaultSchedule? schedule, LogLevel level, TextWriter error, CancellationToken cancellationToken)
    {
        if (await ResolveAsync(to, error, cancellationToken).ConfigureAwait(false) is not { } target)
        {
            return ProgMpCommand.ExitUsage;
        }

        // Runs until Ctrl+C or SIGTERM, then stops listening, resets what it relays and logs its counters.
        using var stopping = new ShutdownSignal(cancellationToken);
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(level)
            .AddSimpleConsole(console =>
            {
                // One line per event with the time: the faults' timing is what a reader of this log wants.
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
                console.ColorBehavior = LoggerColorBehavior.Disabled;
            }));
        PathEmulator emulator;
        try
        {
            emulator = PathEmulator.Start(listen, target, profile, loggerFactory);
        }
        catch (SocketException e)
        {
            await error.WriteLineAsync($"progmp: cannot listen on {listen}: {e.Message}").ConfigureAwait(false);
            return ProgMpCommand.ExitProgramErrors;
        }

        await using (emulator.ConfigureAwait(false))
        {
            var faults = schedule?.RunAsync(emulator, stopping.Token) ?? Task.CompletedTask;
            await stopping.WaitAsync().ConfigureAwait(false);

            try
            {
                await faults.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped before the schedule had run out.
            }
        }

        return ProgMpCommand.ExitOk;

    }

    private static async Task<IPEndPoint?> ResolveAsync(DnsEndPoint to, TextWriter error, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(to.Host, out var address))
        {
            return new IPEndPoint(address, to.Port);
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(to.Host, cancellationToken).ConfigureAwait(false);

            // IPv4 first: names such as localhost resolve to both, and test servers listen on 127.0.0.1.
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            if (chosen is not null)
            {
                return new IPEndPoint(chosen, to.Port);
            }
        }
        catch (SocketException)
        {
            // Reported below, as for a name without addresses.
        }

        await error.WriteLineAsync($"progmp: --to: cannot resolve '{to.Host}'.").ConfigureAwait(false);
        return null;
    }

    // HOST:PORT, [IPv6]:PORT. The port is required: a relay to "port 0" makes no sense, and listening on 0 must be asked for.
    private static DnsEndPoint? ParseEndPoint(ArgumentResult result, bool requireAddress)
    {
        var name = OptionName(result);
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        var colon = text.LastIndexOf(':');
        var host = colon > 0 ? text[..colon] : "";
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            host = "";
        }

        if (host.Length == 0
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > IPEndPoint.MaxPort
            || (port == 0 && !requireAddress))
        {
            result.AddError($"{name}: '{text}' is not {(requireAddress ? "ADDR:PORT" : "HOST:PORT")} (for example 127.0.0.1:9000{(requireAddress ? "" : " or localhost:9000")}).");
            return null;
        }

        if (requireAddress && !IPAddress.TryParse(host, out _))
        {
            result.AddError($"{name}: '{host}' is not an IP address.");
            return null;
        }

        return new DnsEndPoint(host, port);
    }

    // Numbers in the invariant culture, finite, not negative (nor zero where zero means nothing), and not absurd.
    private static double? ParseNumber(ArgumentResult result, bool allowZero, double maximum)
    {
        var name = OptionName(result);
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            result.AddError($"{name}: '{text}' is not a number.");
            return null;
        }

        if (value < 0 || (value == 0 && !allowZero))
        {
            result.AddError($"{name} must be {(allowZero ? "0 or more" : "more than 0")}.");
            return null;
        }

        if (value > maximum)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be at most {maximum}."));
            return null;
        }

        return value;
    }

    private static PathFailureMode ParseFailureMode(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        switch (text)
        {
            case "rst":
                return PathFailureMode.Reset;
            case "blackhole":
                return PathFailureMode.Blackhole;
            default:
                result.AddError($"--fail-mode: '{text}' is not rst or blackhole.");
                return PathFailureMode.Reset;
        }
    }

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : "value";
}
