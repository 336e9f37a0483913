using Microsoft.Extensions.Logging;

namespace ProgMp.Engine.Logging;

/// <summary>The decision trace's log messages (event ids 300–309).</summary>
internal static partial class TraceLog
{
    [LoggerMessage(300, LogLevel.Information, "Session {Session}, stream {Stream}: decision trace on, keeping the last {Capacity} decisions")]
    public static partial void TraceStarted(ILogger logger, string session, uint stream, int capacity);

    [LoggerMessage(301, LogLevel.Information, "Session {Session}, stream {Stream}: decision trace off after {Recorded} decisions")]
    public static partial void TraceStopped(ILogger logger, string session, uint stream, long recorded);
}
