using System.CommandLine;

namespace ProgMp.Cli.Proxy;

/// <summary>The options both proxy verbs take: schedulers to load, the default one, the log level.</summary>
internal sealed class CommonOptions
{
    private readonly Option<string[]> _schedulers = new("--scheduler")
    {
        Description = "A .progmp file to load besides the built-in library (a program of the same name replaces it). Repeat for more.",
        HelpName = "FILE",
    };

    private readonly Option<string> _defaultScheduler = new("--default-scheduler")
    {
        Description = "The scheduler new streams run.",
        DefaultValueFactory = _ => "minRtt",
        HelpName = "NAME",
    };

    private readonly Option<string> _logLevel = new("--log-level")
    {
        Description = "The least level logged on standard error: trace, debug, information, warning, error, critical or none.",
        DefaultValueFactory = _ => "information",
        HelpName = "LEVEL",
    };

    private readonly Option<string?> _control = new("--control")
    {
        Description = "Open the control endpoint (HTTP + JSON, see docs/control.md) on this address, e.g. 127.0.0.1:7070. Needs --token-file.",
        HelpName = "ADDRESS:PORT",
    };

    private readonly Option<string?> _tokenFile = new("--token-file")
    {
        Description = "The control endpoint's bearer token: a file only its owner may read.",
        HelpName = "FILE",
    };

    public CommonOptions()
    {
        // A one-line reason, like every other wrong argument of these verbs.
        _logLevel.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!ConsoleLogging.Levels.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                result.AddError($"--log-level '{value}': expected one of {string.Join(", ", ConsoleLogging.Levels)}");
            }
        });
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_schedulers);
        command.Options.Add(_defaultScheduler);
        command.Options.Add(_logLevel);
        command.Options.Add(_control);
        command.Options.Add(_tokenFile);
    }

    public CommonSettings Read(ParseResult parse) => new(
        parse.GetValue(_schedulers) ?? [],
        parse.GetValue(_defaultScheduler) ?? "minRtt",
        ConsoleLogging.Parse(parse.GetValue(_logLevel) ?? "information"),
        parse.GetValue(_control),
        parse.GetValue(_tokenFile));
}
