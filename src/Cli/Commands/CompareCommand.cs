using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ProgMp.Cli.Compare;
using ProgMp.Cli.Control;

namespace ProgMp.Cli.Commands;

/// <summary>
/// <c>progmp compare</c>: runs schedulers on scenarios over emulated paths on loopback, repeats each
/// run, and reports a table, JSON, CSV and plots (docs/compare.md). Exit code 0: every run finished;
/// 1: some run did not (the table says which), or a program has errors; 2: wrong arguments, an unknown
/// scheduler or scenario, or a scenario file with errors.
/// </summary>
internal static class CompareCommand
{
    public const int MaxRepeats = 100;
    public const double MinScale = 0.1;
    public const double MaxScale = 100;
    public const string DefaultOpponent = "minRtt";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var programs = new Argument<string[]>("SCHEDULER")
        {
            Description = $"Schedulers to compare: a .progmp file or a library name. With no --with, compared against {DefaultOpponent}.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var with = new Option<string[]>("--with")
        {
            Description = "More schedulers, comma-separated library names or .progmp files (repeatable), e.g. minRtt,blest,ecf,redundant.",
            HelpName = "LIST",
            Arity = ArgumentArity.OneOrMore,
        };
        var scenarios = new Option<string[]>("--scenario")
        {
            Description = "A built-in scenario by name, or a scenario file (repeatable). Default: every built-in (see --list).",
            HelpName = "NAME|FILE",
            Arity = ArgumentArity.OneOrMore,
        };
        var workloads = new Option<string[]>("--workload")
        {
            Description = "Replaces every scenario's workloads with this one, written as in a scenario file after 'workload' (repeatable: they run together), e.g. \"short-flows sizes 1B-200kB\".",
            HelpName = "WORKLOAD",
            Arity = ArgumentArity.OneOrMore,
        };
        var repeats = new Option<int>("--repeats")
        {
            Description = $"Runs of each scheduler on each scenario (1 to {MaxRepeats}); the table shows the median and the range.",
            HelpName = "N",
            DefaultValueFactory = _ => 3,
        };
        repeats.Validators.Add(result =>
        {
            if (Given(result, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is < 1 or > MaxRepeats)
            {
                result.AddError($"--repeats must be from 1 to {MaxRepeats}.");
            }
        });
        var scale = new Option<string>("--scale")
        {
            Description = $"Multiplies every scenario's duration and event times (and bulk sizes) by FACTOR ({MinScale} to {MaxScale}), e.g. 5 for runs five times as long.",
            HelpName = "FACTOR",
            DefaultValueFactory = _ => "1",
        };
        scale.Validators.Add(result =>
        {
            if (Given(result, out var text) && !(ScenarioUnits.TryParseNumber(text, out var factor) && factor is >= MinScale and <= MaxScale))
            {
                result.AddError($"--scale '{text}': expected a number from {MinScale} to {MaxScale}.");
            }
        });
        var json = new Option<string>("--json") { Description = "Also write the results as JSON (docs/compare.md lists the fields).", HelpName = "FILE" };
        var csv = new Option<string>("--csv") { Description = "Also write the summary as CSV, one row per scheduler and scenario.", HelpName = "FILE" };
        var plots = new Option<string>("--plots") { Description = "Also write PNG plots per scenario into DIR (made if missing): goodput over time with the events marked, CDFs of FCT and app RTT.", HelpName = "DIR" };
        foreach (var file in new[] { json, csv })
        {
            file.Validators.Add(result =>
            {
                if (OutputFileProblem(file.Name, result.GetValueOrDefault<string>()) is { } problem)
                {
                    result.AddError(problem);
                }
            });
        }

        plots.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } directory && (directory.Length == 0 || File.Exists(directory)))
            {
                result.AddError($"--plots '{directory}': expected a directory.");
            }
        });
        var list = new Option<bool>("--list") { Description = "Name the built-in scenarios, each with a line on what it is, and exit." };
        var logLevel = new Option<string>("--log-level")
        {
            Description = "The least level logged on standard error: trace, debug, information (every run and event), warning, error, critical or none.",
            HelpName = "LEVEL",
            DefaultValueFactory = _ => "error",
        };
        logLevel.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!ConsoleLogging.Levels.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                result.AddError($"--log-level '{value}': expected one of {string.Join(", ", ConsoleLogging.Levels)}");
            }
        });

        var command = new Command("compare", "Compare schedulers on scenarios: each scheduler runs each scenario (emulated paths on loopback, events over time, a workload) several times, one run at a time; a table of the median and range of each metric, and on request JSON, CSV and PNG plots. Example: progmp compare my.progmp --with minRtt,blest --scenario wifi-lte. Exit code 0: every run finished; 1: some run did not, or a program has errors; 2: wrong arguments or scenario files.")
        {
            programs,
            with,
            scenarios,
            workloads,
            repeats,
            scale,
            json,
            csv,
            plots,
            list,
            logLevel,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(list))
            {
                return List(output, error);
            }

            var given = (parse.GetValue(programs) ?? []).Select(p => (p, "")).ToList();
            var others = (parse.GetValue(with) ?? []).SelectMany(w => w.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(w => (w, "--with")).ToList();
            if (given.Count + others.Count == 0)
            {
                error.WriteLine("progmp: name the schedulers to compare: a .progmp file, --with minRtt,blest, or both.");
                error.WriteLine("Run 'progmp compare --help' for usage.");
                return ProgMpCommand.ExitUsage;
            }

            if (parse.GetResult(with) is null && !given.Any(g => g.p == DefaultOpponent))
            {
                others.Add((DefaultOpponent, ""));
            }

            // Validated above: a factor that does not parse never reaches here.
            var factor = ScenarioUnits.TryParseNumber(parse.GetValue(scale) ?? "1", out var parsed) ? parsed : 1;
            var settings = new CompareSettings
            {
                Schedulers = [.. given, .. others],
                Scenarios = parse.GetValue(scenarios) ?? [],
                Workloads = parse.GetValue(workloads) ?? [],
                Repeats = parse.GetValue(repeats),
                Scale = factor,
                JsonFile = parse.GetValue(json),
                CsvFile = parse.GetValue(csv),
                PlotDirectory = parse.GetValue(plots),
                LogLevel = ConsoleLogging.Parse(parse.GetValue(logLevel) ?? "error"),
            };
            return await RunAsync(settings, output, error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(CompareSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var exit = SchedulerCatalog.TryResolve(settings.Schedulers, error, out var registry, out var schedulers);
        if (registry is null)
        {
            return exit;
        }

        exit = ScenarioCatalog.TryLoad(settings.Scenarios, error, out var scenarios);
        if (scenarios is null)
        {
            return exit;
        }

        var replacements = new List<WorkloadSpec>();
        foreach (var text in settings.Workloads)
        {
            var problems = ScenarioParser.ParseWorkload(text, "--workload", out var workload);
            if (workload is null)
            {
                error.WriteLine($"progmp: --workload '{text}': {problems[0].Message}");
                return ProgMpCommand.ExitUsage;
            }

            replacements.Add(workload);
        }

        var runnable = scenarios.Select(s => (replacements.Count > 0 ? s.WithWorkloads(replacements) : s).Scale(settings.Scale)).ToList();

        // Refused rather than clamped: a clamped scenario would silently not be the one asked for.
        if (runnable.Find(s => s.Duration > ScenarioParser.MaxDuration) is { } tooLong)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"progmp: --scale {settings.Scale}: the scenario '{tooLong.Name}' would last {ScenarioParser.Describe(tooLong.Duration)}, over the limit of {ScenarioParser.Describe(ScenarioParser.MaxDuration)}."));
            return ProgMpCommand.ExitUsage;
        }

        using var logs = ConsoleLogging.Create(settings.LogLevel);
        CompareReport report;
        using (var progress = new ProgressLine(error, ProgressLine.CanRedraw(error)))
        {
            try
            {
                report = await new CompareRunner(registry, logs, progress).RunAsync(runnable, schedulers, settings.Repeats, settings.PlotDirectory is not null, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                error.WriteLine("progmp: interrupted; nothing was written.");
                return ProgMpCommand.ExitProgramErrors;
            }
        }

        CompareTableWriter.Write(report, output);
        if (!TryWrite(settings, report, output, error))
        {
            return ProgMpCommand.ExitProgramErrors;
        }

        return report.AllCompleted ? ProgMpCommand.ExitOk : ProgMpCommand.ExitProgramErrors;
    }

    private static bool TryWrite(CompareSettings settings, CompareReport report, TextWriter output, TextWriter error)
    {
        var target = "";
        try
        {
            if (settings.JsonFile is { } json)
            {
                target = json;
                using (var file = File.Create(json))
                {
                    CompareJsonWriter.Write(report, file);
                }

                output.WriteLine($"json: {json}");
            }

            if (settings.CsvFile is { } csv)
            {
                target = csv;
                using (var file = new StreamWriter(csv))
                {
                    CompareCsvWriter.Write(report, file);
                }

                output.WriteLine($"csv: {csv}");
            }

            if (settings.PlotDirectory is { } directory)
            {
                target = directory;
                Directory.CreateDirectory(directory);
                foreach (var png in ComparePlots.Save(report, directory))
                {
                    output.WriteLine($"plot: {png}");
                }
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"progmp: cannot write '{target}': {e.Message}");
            return false;
        }
    }

    private static int List(TextWriter output, TextWriter error)
    {
        var table = new TextTable("scenario", "description");
        foreach (var (file, text) in BuiltInScenarios.All())
        {
            ScenarioParser.Parse(text, file, out var scenario);
            if (scenario is null)
            {
                error.WriteLine($"progmp: the built-in {file} does not parse.");
                return ProgMpCommand.ExitProgramErrors;
            }

            table.Add(scenario.Name, scenario.Description);
        }

        table.Write(output);
        return ProgMpCommand.ExitOk;
    }

    private static string? OutputFileProblem(string option, string? file)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return $"{option} needs a file name.";
        }

        var full = Path.GetFullPath(file);
        if (Directory.Exists(full))
        {
            return $"{option} '{file}' is a directory.";
        }

        var directory = Path.GetDirectoryName(full);
        return directory is not null && !Directory.Exists(directory) ? $"{option} '{file}': no directory '{directory}'." : null;
    }

    private static bool Given(OptionResult result, out string text)
    {
        text = result.Implicit || result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        return text.Length > 0;
    }
}
