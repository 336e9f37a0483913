using Microsoft.Extensions.Logging;

using ProgMp.Engine;

namespace ProgMp.Proxy;

/// <summary>The proxies' log messages, source-generated like the engine's; ids from 100 so both can share one sink.</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(101, LogLevel.Information, "Remote proxy: session {Session} accepted")]
    public static partial void SessionAccepted(ILogger logger, string session);

    [LoggerMessage(102, LogLevel.Information, "Remote proxy: session {Session} ended: {Reason}")]
    public static partial void SessionEnded(ILogger logger, string session, string? reason);

    [LoggerMessage(103, LogLevel.Warning, "Session {Session}, stream {Stream}: destination {Destination} refused: {Reason}")]
    public static partial void DestinationNotAllowed(ILogger logger, string session, uint stream, string destination, string reason);

    [LoggerMessage(104, LogLevel.Information, "Session {Session}, stream {Stream}: cannot connect to {Destination}: {Reason} ({Error})")]
    public static partial void ConnectFailed(ILogger logger, string session, uint stream, string destination, ResetReason reason, string error);

    [LoggerMessage(105, LogLevel.Debug, "Session {Session}, stream {Stream}: connected to {Destination} ({Remote})")]
    public static partial void Connected(ILogger logger, string session, uint stream, string destination, string? remote);

    [LoggerMessage(106, LogLevel.Debug, "{Relay}: finished, {Up} bytes to the stream, {Down} bytes to the socket")]
    public static partial void RelayFinished(ILogger logger, string relay, long up, long down);

    [LoggerMessage(107, LogLevel.Information, "{Relay}: aborted ({Outcome}) after {Up} bytes to the stream, {Down} bytes to the socket: {Detail}")]
    public static partial void RelayAborted(ILogger logger, string relay, RelayOutcome outcome, long up, long down, string detail);

    [LoggerMessage(108, LogLevel.Information, "Local proxy: session {Session} connected over {Paths} path(s)")]
    public static partial void SessionConnected(ILogger logger, string session, int paths);

    [LoggerMessage(109, LogLevel.Warning, "Local proxy: cannot connect to the remote proxy ({Error}); trying again in {DelayMs} ms")]
    public static partial void SessionConnectFailed(ILogger logger, string error, long delayMs);

    [LoggerMessage(110, LogLevel.Warning, "Local proxy: session {Session} ended ({Reason}); connecting a new one")]
    public static partial void SessionLost(ILogger logger, string session, string? reason);

    [LoggerMessage(111, LogLevel.Information, "SOCKS client {Client}: refused ({Reply}): {Reason}")]
    public static partial void SocksRefused(ILogger logger, string? client, SocksReply reply, string reason);

    [LoggerMessage(112, LogLevel.Information, "Client {Client} for {Destination}: the remote proxy reset the stream ({Reason})")]
    public static partial void DestinationFailed(ILogger logger, string? client, string destination, ResetReason reason);

    [LoggerMessage(113, LogLevel.Warning, "Client {Client}: no session to the remote proxy in time; closing the connection")]
    public static partial void NoSession(ILogger logger, string? client);

    [LoggerMessage(114, LogLevel.Debug, "Client {Client}: stream {Stream} to {Destination}")]
    public static partial void StreamOpened(ILogger logger, string? client, uint stream, string destination);

    [LoggerMessage(200, LogLevel.Warning, "Local proxy: session {Session} has used all its stream ids; connecting a new one, this one closes after its last stream")]
    public static partial void SessionRetired(ILogger logger, string session);

    [LoggerMessage(201, LogLevel.Error, "Client {Client}: the connection failed unexpectedly and was reset")]
    public static partial void ConnectionFailed(ILogger logger, string? client, Exception exception);

    [LoggerMessage(202, LogLevel.Error, "Session {Session}, stream {Stream}: serving the stream failed unexpectedly; it was reset")]
    public static partial void StreamFailed(ILogger logger, string session, uint stream, Exception exception);
}
