using Microsoft.Extensions.Logging;

namespace ProgMp.Cli;

/// <summary>The command's own log messages (the engine and the proxies log through theirs).</summary>
internal static partial class CliLog
{
    [LoggerMessage(1, LogLevel.Information, "Remote proxy started; allowed destinations: {Allow}; default scheduler {Scheduler}")]
    public static partial void RemoteStarted(ILogger logger, string allow, string scheduler);

    [LoggerMessage(2, LogLevel.Information, "Local proxy started; paths: {Paths}; default scheduler {Scheduler}")]
    public static partial void LocalStarted(ILogger logger, string paths, string scheduler);

    [LoggerMessage(3, LogLevel.Information, "Stopping")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(4, LogLevel.Information, "Subflows: {Security}")]
    public static partial void Security(ILogger logger, string security);
}
