using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ProgMp.Cli.Demo;

namespace ProgMp.Cli.Commands;

/// <summary>
/// <c>progmp demo</c>: with no arguments, a listener and a client in this process over two emulated
/// heterogeneous paths on loopback, one stream through four phases (minRtt, a live swap to redundant, a
/// path reset and failover, the path's return), a live view, a summary, and exit 0 only when the
/// receiver's SHA-256 matches the sender's. <c>--decisions</c> keeps the network-free view of every
/// built-in scheduler deciding on one situation.
/// </summary>
internal static class DemoCommand
{
    public const int MaxPaths = 8;
    public const double MinDurationSeconds = 2;
    public const double MaxDurationSeconds = 3600;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var duration = new Option<double>("--duration")
        {
            Description = "Seconds the transfer runs; the phases share it equally.",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => DemoSettings.DefaultDuration.TotalSeconds,
        };
        duration.Validators.Add(result =>
        {
            if (Given(result, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                && !(seconds >= MinDurationSeconds && seconds <= MaxDurationSeconds))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--duration must be from {MinDurationSeconds} to {MaxDurationSeconds} seconds."));
            }
        });

        var paths = new Option<string[]>("--path")
        {
            Description = $"An emulated path NAME:MBIT:DELAYMS (rate and one-way delay); repeat for up to {MaxPaths}. Replaces the default wifi:20:10 and lte:10:40. The failure hits the first.",
            HelpName = "NAME:MBIT:DELAYMS",
            Arity = ArgumentArity.OneOrMore,
        };
        paths.Validators.Add(result =>
        {
            if (ParsePaths(result.GetValueOrDefault<string[]>() ?? [], out _) is { } problem)
            {
                result.AddError(problem);
            }
        });

        var schedulers = new Option<string[]>("--scheduler")
        {
            Description = "A .progmp file to load beside the built-in library (repeatable); pick its program with --start or --swap.",
            HelpName = "FILE",
            Arity = ArgumentArity.OneOrMore,
        };
        var start = new Option<string>("--start")
        {
            Description = "The scheduler of the first, failure and return phases.",
            HelpName = "NAME",
            DefaultValueFactory = _ => "minRtt",
        };
        var swap = new Option<string>("--swap")
        {
            Description = "The scheduler the stream is swapped to, live, in the second phase.",
            HelpName = "NAME",
            DefaultValueFactory = _ => "redundant",
        };
        var noFailure = new Option<bool>("--no-failure") { Description = "Leave every path working: three phases, the last back on the start scheduler." };
        var packetSize = new Option<int>("--packet-size")
        {
            Description = "Payload bytes per packet, the scheduler's unit (1 to 65536).",
            HelpName = "BYTES",
            DefaultValueFactory = _ => 1400,
        };
        packetSize.Validators.Add(result =>
        {
            if (Given(result, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) && bytes is < 1 or > 65536)
            {
                result.AddError("--packet-size must be from 1 to 65536 bytes.");
            }
        });

        var plot = new Option<string>("--plot")
        {
            Description = "Also write a PNG of each path's throughput over time, phases marked.",
            HelpName = "FILE.png",
        };
        plot.Validators.Add(result =>
        {
            if (PlotProblem(result.GetValueOrDefault<string>()) is { } problem)
            {
                result.AddError(problem);
            }
        });

        var decisions = new Option<bool>("--decisions") { Description = "Instead of the transfer: every built-in scheduler's decision on one two-path situation, without a network." };
        var command = new Command("demo", "Run one stream over emulated paths on loopback (wifi 20 Mbit/s 10 ms, lte 10 Mbit/s 40 ms) through a minRtt phase, a live swap to redundant, a reset of wifi and its return; show each path live, then a summary and the integrity check. Exit code 0: the receiver got exactly what was sent; 1: it did not; 2: wrong arguments.")
        {
            duration,
            paths,
            schedulers,
            start,
            swap,
            noFailure,
            packetSize,
            plot,
            decisions,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(decisions) is { } chosen && chosen.GetValueOrDefault<bool>()
                && command.Options.Any(o => o != decisions && result.GetResult(o) is { Implicit: false }))
            {
                result.AddError("--decisions takes no other option.");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(decisions))
            {
                return DecisionsDemo.Run(output, error);
            }

            ParsePaths(parse.GetValue(paths) ?? [], out var specs);
            var settings = new DemoSettings
            {
                Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                Paths = specs.Count == 0 ? EmulatedPathSpec.Defaults : specs,
                SchedulerFiles = parse.GetValue(schedulers) ?? [],
                StartScheduler = parse.GetValue(start)!,
                SwapScheduler = parse.GetValue(swap)!,
                Failure = !parse.GetValue(noFailure),
                PacketSize = parse.GetValue(packetSize),
                PlotFile = parse.GetValue(plot),
            };
            return await RunAsync(settings, output, error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(DemoSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var exitCode = SchedulerSetup.TryCreate(settings.SchedulerFiles, [("--start", settings.StartScheduler), ("--swap", settings.SwapScheduler)], error, out var registry);
        if (registry is null)
        {
            return exitCode;
        }

        var plan = DemoPlan.Create(settings);
        using var runner = new DemoRunner(plan, registry, CreateView(output));
        var outcome = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
        DemoSummary.Write(outcome, output);
        if (settings.PlotFile is { } file && outcome.Recorder.Samples.Count > 1)
        {
            try
            {
                ThroughputPlot.Save(outcome, file);
                output.WriteLine($"plot: {file}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"progmp: cannot write the plot '{file}': {e.Message}");
                return ProgMpCommand.ExitProgramErrors;
            }
        }

        return outcome.Verified ? ProgMpCommand.ExitOk : ProgMpCommand.ExitProgramErrors;
    }

    /// <summary>
    /// The option's value as typed, when it was typed. Validators read the token themselves: one that
    /// does not convert already has the parser's own error, and asking for the value would throw.
    /// </summary>
    private static bool Given(OptionResult result, out string text)
    {
        text = result.Implicit || result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        return text.Length > 0;
    }

    /// <summary>Null when every spec parses and the set is usable, else the one-line reason.</summary>
    private static string? ParsePaths(string[] texts, out List<EmulatedPathSpec> specs)
    {
        specs = [];
        if (texts.Length > MaxPaths)
        {
            return $"--path: at most {MaxPaths} paths, not {texts.Length}.";
        }

        foreach (var text in texts)
        {
            if (!EmulatedPathSpec.TryParse(text, out var spec, out var problem))
            {
                return problem + ".";
            }

            if (specs.Any(s => s.Name == spec.Name))
            {
                return $"--path: the name '{spec.Name}' is given twice.";
            }

            specs.Add(spec);
        }

        return null;
    }

    private static string? PlotProblem(string? file)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return "--plot needs a file name.";
        }

        var full = Path.GetFullPath(file);
        if (Directory.Exists(full))
        {
            return $"--plot '{file}' is a directory.";
        }

        var directory = Path.GetDirectoryName(full);
        return directory is not null && !Directory.Exists(directory) ? $"--plot '{file}': no directory '{directory}'." : null;
    }

    // A redrawn view on a terminal, one line a second when the output goes to a file or a pipe.
    private static IDemoView CreateView(TextWriter output)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
            && Environment.GetEnvironmentVariable("TERM") is not "dumb";
        if (!terminal)
        {
            return new PlainView(output);
        }

        int width;
        try
        {
            width = Console.WindowWidth;
        }
        catch (IOException)
        {
            width = 100;
        }

        return new TerminalView(output, width == 0 ? 100 : width, color: Environment.GetEnvironmentVariable("NO_COLOR") is null);
    }
}
