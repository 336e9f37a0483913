using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ProgMp.Emulation;

/// <summary>The path emulator's log messages; the method names are the event names.</summary>
internal static partial class EmulationLog
{
    [LoggerMessage(EventId = EmulationEventId.Listening, Level = LogLevel.Information, Message = "Path emulator listening on {LocalEndPoint}, relaying to {Target}: {Profile}")]
    public static partial void Listening(this ILogger logger, IPEndPoint localEndPoint, IPEndPoint target, PathProfile profile);

    [LoggerMessage(EventId = EmulationEventId.Stopped, Level = LogLevel.Information, Message = "Path emulator stopped: {BytesToTarget} bytes to target, {BytesToClient} bytes to client, {ConnectionsAccepted} connections accepted")]
    public static partial void Stopped(this ILogger logger, long bytesToTarget, long bytesToClient, long connectionsAccepted);

    [LoggerMessage(EventId = EmulationEventId.ProfileChanged, Level = LogLevel.Information, Message = "Path profile {Direction}: {Profile}")]
    public static partial void ProfileChanged(this ILogger logger, PathDirection direction, PathProfile profile);

    [LoggerMessage(EventId = EmulationEventId.PathFailed, Level = LogLevel.Information, Message = "Path failed ({Mode}) with {Connections} connections open")]
    public static partial void PathFailed(this ILogger logger, PathFailureMode mode, int connections);

    [LoggerMessage(EventId = EmulationEventId.PathRestored, Level = LogLevel.Information, Message = "Path restored after {Mode}")]
    public static partial void PathRestored(this ILogger logger, PathFailureMode mode);

    [LoggerMessage(EventId = EmulationEventId.ConnectionAccepted, Level = LogLevel.Debug, Message = "Connection {ConnectionId} accepted from {Client}")]
    public static partial void ConnectionAccepted(this ILogger logger, long connectionId, EndPoint? client);

    [LoggerMessage(EventId = EmulationEventId.ConnectionClosed, Level = LogLevel.Debug, Message = "Connection {ConnectionId} closed: {BytesToTarget} bytes to target, {BytesToClient} bytes to client")]
    public static partial void ConnectionClosed(this ILogger logger, long connectionId, long bytesToTarget, long bytesToClient);

    [LoggerMessage(EventId = EmulationEventId.ConnectionAborted, Level = LogLevel.Debug, Message = "Connection {ConnectionId} reset: {Reason}")]
    public static partial void ConnectionAborted(this ILogger logger, long connectionId, string reason);

    [LoggerMessage(EventId = EmulationEventId.ConnectionResetWhileFailed, Level = LogLevel.Debug, Message = "Connection from {Client} reset at once: the path is failed")]
    public static partial void ConnectionResetWhileFailed(this ILogger logger, EndPoint? client);

    [LoggerMessage(EventId = EmulationEventId.TargetUnreachable, Level = LogLevel.Warning, Message = "Connection {ConnectionId}: cannot connect to {Target} ({Error}); resetting the client")]
    public static partial void TargetUnreachable(this ILogger logger, long connectionId, IPEndPoint target, SocketError error);

    [LoggerMessage(EventId = EmulationEventId.AcceptFailed, Level = LogLevel.Warning, Message = "Accepting a connection failed ({Error})")]
    public static partial void AcceptFailed(this ILogger logger, SocketError error);

    [LoggerMessage(EventId = EmulationEventId.RelayFailed, Level = LogLevel.Error, Message = "Connection {ConnectionId}: the relay failed")]
    public static partial void RelayFailed(this ILogger logger, long connectionId, Exception exception);
}
