using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ProgMp.Shared;

/// <summary>The log messages of the listening sockets' shared pieces; event ids 190–199.</summary>
internal static partial class NetLog
{
    [LoggerMessage(190, LogLevel.Warning, "{Role}: accepting on {EndPoint} fails ({Error}: {Message}); waiting longer between attempts until it works again")]
    public static partial void AcceptFailing(ILogger logger, string role, string endPoint, SocketError error, string message);

    [LoggerMessage(191, LogLevel.Warning, "{Role}: accepting on {EndPoint} works again after {Failures} failed attempt(s)")]
    public static partial void AcceptRecovered(ILogger logger, string role, string endPoint, long failures);

    [LoggerMessage(192, LogLevel.Debug, "{Role}: a connection accepted on {EndPoint} could not be served and was reset: {Message}")]
    public static partial void AcceptedConnectionFailed(ILogger logger, string role, string endPoint, string message);
}
