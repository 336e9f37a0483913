using Microsoft.Extensions.Logging;

namespace ProgMp.Engine.Logging;

/// <summary>The engine's log messages, source-generated so that a disabled level costs nothing.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(1, LogLevel.Information, "Session {Session}: subflow {Subflow} established ({Local} -> {Remote}, path {Path}{Backup})")]
    public static partial void SubflowEstablished(ILogger logger, string session, long subflow, string? local, string? remote, byte path, string backup);

    // Routine: the data-level timeout is short on purpose, so a busy path is suspected now and then and answers again; a dead subflow is the warning.
    [LoggerMessage(2, LogLevel.Information, "Session {Session}: subflow {Subflow} suspected: no answer for {TimeoutMs} ms; {Packets} packets go to RQ")]
    public static partial void SubflowSuspected(ILogger logger, string session, long subflow, long timeoutMs, int packets);

    [LoggerMessage(3, LogLevel.Information, "Session {Session}: subflow {Subflow} answers again")]
    public static partial void SubflowRecovered(ILogger logger, string session, long subflow);

    [LoggerMessage(4, LogLevel.Warning, "Session {Session}: subflow {Subflow} closed: {Reason}; {Packets} packets go to RQ")]
    public static partial void SubflowDead(ILogger logger, string session, long subflow, string reason, int packets);

    [LoggerMessage(5, LogLevel.Error, "Session {Session}: protocol error from the peer on subflow {Subflow}: {Error}")]
    public static partial void ProtocolViolation(ILogger logger, string session, long subflow, string error);

    [LoggerMessage(6, LogLevel.Information, "Session {Session} closed: {Reason}")]
    public static partial void SessionClosed(ILogger logger, string session, string reason);

    [LoggerMessage(7, LogLevel.Warning, "Session {Session}, stream {Stream}: scheduler {Scheduler} refused {Count} unsafe drop(s) of unsent data; the packets went back to Q")]
    public static partial void UnsafeDropRefused(ILogger logger, string session, uint stream, string scheduler, int count);

    [LoggerMessage(8, LogLevel.Information, "[{Scheduler}] {Text}")]
    public static partial void SchedulerPrint(ILogger logger, string scheduler, string text);

    [LoggerMessage(9, LogLevel.Warning, "Session {Session}, stream {Stream}: no scheduler named {Scheduler} is loaded, nor the default {Default}; the stream sends nothing until one is")]
    public static partial void NoScheduler(ILogger logger, string session, uint stream, string scheduler, string @default);

    [LoggerMessage(10, LogLevel.Information, "Session {Session}: path {Path} to {Remote} failed ({Reason}); trying again in {DelayMs} ms")]
    public static partial void PathRetry(ILogger logger, string session, byte path, string remote, string reason, long delayMs);


    [LoggerMessage(12, LogLevel.Information, "Session {Session} set up with {Remote}")]
    public static partial void SessionEstablished(ILogger logger, string session, string? remote);

    [LoggerMessage(14, LogLevel.Debug, "Session {Session}, stream {Stream}: scheduler {Scheduler} popped {Count} packet(s) it neither pushed nor dropped; they went back")]
    public static partial void PutBack(ILogger logger, string session, uint stream, string scheduler, int count);

    [LoggerMessage(16, LogLevel.Error, "Session {Session}: internal error on subflow {Subflow}; it is closed and opened again")]
    public static partial void InternalError(ILogger logger, string session, long subflow, Exception exception);

    [LoggerMessage(15, LogLevel.Information, "Session {Session}: the peer {Action} path {Path}")]
    public static partial void PeerPathChange(ILogger logger, string session, string action, byte path);

    [LoggerMessage(17, LogLevel.Warning, "Limit {Limit} reached ({Count} times so far): {Detail}")]
    public static partial void LimitReached(ILogger logger, ResourceLimit limit, long count, string detail);

    [LoggerMessage(160, LogLevel.Error, "Session {Session}: the timer failed; it carries on")]
    public static partial void TimerFailed(ILogger logger, string session, Exception exception);

    [LoggerMessage(161, LogLevel.Error, "Session {Session}: scheduler {Scheduler} threw on stream {Stream}; each stream it throws on is reset (InternalError), this is logged once per session")]
    public static partial void SchedulerThrew(ILogger logger, string session, string scheduler, uint stream, Exception exception);

    [LoggerMessage(162, LogLevel.Warning, "Session {Session}, stream {Stream}: closed, but the peer acknowledged nothing for {LingerMs} ms; reset with {Bytes} bytes undelivered")]
    public static partial void LingerExpired(ILogger logger, string session, uint stream, long lingerMs, long bytes);

    [LoggerMessage(163, LogLevel.Debug, "Session {Session}: acknowledgements of {Streams} streams and {Resets} unconfirmed resets sent again on subflow {Subflow}")]
    public static partial void SignallingResent(ILogger logger, string session, long subflow, int streams, int resets);
}
