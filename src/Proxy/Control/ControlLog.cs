using Microsoft.Extensions.Logging;

namespace ProgMp.Proxy.Control;

/// <summary>
/// The control endpoint's log messages, source-generated like <c>EngineLog</c>. Event ids 1000–1099
/// belong to the control endpoint, apart from the engine's.
/// </summary>
internal static partial class ControlLog
{
    [LoggerMessage(1001, LogLevel.Information, "Control endpoint for {Role} listening on http://{EndPoint}")]
    public static partial void Listening(ILogger logger, string role, string endPoint);

    [LoggerMessage(1002, LogLevel.Warning, "Control: refused {Method} {Path} from {Remote}: {Reason}")]
    public static partial void Refused(ILogger logger, string method, string path, string? remote, string reason);

    [LoggerMessage(1003, LogLevel.Information, "Control: {Method} {Path} from {Remote}: {Outcome}")]
    public static partial void Applied(ILogger logger, string method, string path, string? remote, string outcome);

    [LoggerMessage(1004, LogLevel.Information, "Control: {Method} {Path} from {Remote} answered {Status}: {Reason}")]
    public static partial void Failed(ILogger logger, string method, string path, string? remote, int status, string reason);

    [LoggerMessage(1005, LogLevel.Error, "Control: {Method} {Path} failed unexpectedly")]
    public static partial void Unexpected(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(1006, LogLevel.Error, "Control: the host's shutdown failed")]
    public static partial void ShutdownFailed(ILogger logger, Exception exception);

    [LoggerMessage(1007, LogLevel.Information, "Control endpoint on http://{EndPoint} stopped")]
    public static partial void Stopped(ILogger logger, string endPoint);
}
