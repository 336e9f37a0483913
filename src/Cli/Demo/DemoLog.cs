using Microsoft.Extensions.Logging;

namespace ProgMp.Cli.Demo;

/// <summary>The demo's log messages; the method names are the event names.</summary>
internal static partial class DemoLog
{
    [LoggerMessage(EventId = DemoEventId.PhaseStarted, Level = LogLevel.Information, Message = "phase {Number}/{Count}: {Description}")]
    public static partial void PhaseStarted(this ILogger logger, int number, int count, string description);

    [LoggerMessage(EventId = DemoEventId.SchedulerSwapped, Level = LogLevel.Information, Message = "stream {Stream}: scheduler {From} -> {To}, swapped while data flows")]
    public static partial void SchedulerSwapped(this ILogger logger, uint stream, string from, string to);

    [LoggerMessage(EventId = DemoEventId.PathFailed, Level = LogLevel.Warning, Message = "{Path}: the emulator fails the path ({Mode})")]
    public static partial void PathFailed(this ILogger logger, string path, string mode);

    [LoggerMessage(EventId = DemoEventId.PathRestored, Level = LogLevel.Information, Message = "{Path}: the emulator restores the path; the client re-opens it by itself")]
    public static partial void PathRestored(this ILogger logger, string path);

    [LoggerMessage(EventId = DemoEventId.PathBack, Level = LogLevel.Information, Message = "{Path}: a new subflow is active, {Milliseconds} ms after the path was restored")]
    public static partial void PathBack(this ILogger logger, string path, long milliseconds);

    [LoggerMessage(EventId = DemoEventId.WritesCompleted, Level = LogLevel.Information, Message = "writes completed after {Bytes} bytes; waiting for the reader to get the rest")]
    public static partial void WritesCompleted(this ILogger logger, long bytes);

    [LoggerMessage(EventId = DemoEventId.TransferEnded, Level = LogLevel.Information, Message = "the reader got the end of the stream: {Bytes} bytes")]
    public static partial void TransferEnded(this ILogger logger, long bytes);
}
