using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ProgMp.Cli;

/// <summary>
/// The console log of the long-running verbs: one line a message with a timestamp, all of it on
/// standard error, so that standard output carries only what scripts read (the ready line).
/// </summary>
internal static class ConsoleLogging
{
    public static readonly string[] Levels = ["trace", "debug", "information", "warning", "error", "critical", "none"];

    public static LogLevel Parse(string level) => level.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        "none" => LogLevel.None,
        _ => LogLevel.Information,
    };

    public static ILoggerFactory Create(LogLevel minimum) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(minimum)
        .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
            options.UseUtcTimestamp = false;
        }));
}
