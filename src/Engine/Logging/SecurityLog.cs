using Microsoft.Extensions.Logging;

namespace ProgMp.Engine.Logging;

/// <summary>Log messages of authentication, encryption and admission (event ids 100–129).</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(100, LogLevel.Warning, "The {Role} runs WITHOUT authentication or encryption (MultipathSecurity.InsecurePlaintext): anyone who reaches it can use it, and every byte travels in clear")]
    public static partial void InsecurePlaintext(ILogger logger, string role);

    [LoggerMessage(101, LogLevel.Debug, "Refused a connection from {Remote}: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, string? remote, string reason);

    [LoggerMessage(102, LogLevel.Information, "Authorized clients file {Path} read: {Count} clients")]
    public static partial void AuthorizedClientsRead(ILogger logger, string path, int count);

    [LoggerMessage(103, LogLevel.Error, "{Problem}: new sessions and joins are refused until it is fixed; live sessions go on")]
    public static partial void AuthorizedClientsUnusable(ILogger logger, string problem);

    [LoggerMessage(104, LogLevel.Warning, "Session {Session}: client {Client} {Name} is no longer in the authorized clients; the session is closed")]
    public static partial void ClientRevoked(ILogger logger, string session, string client, string name);

    [LoggerMessage(105, LogLevel.Information, "Session {Session}: client {Client} {Name} authenticated")]
    public static partial void ClientAuthenticated(ILogger logger, string session, string client, string name);

    [LoggerMessage(106, LogLevel.Error, "Checking the authorized clients failed; trying again")]
    public static partial void RevocationCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(107, LogLevel.Error, "A connection from {Remote} failed in its handshake")]
    public static partial void HandshakeFailed(ILogger logger, string? remote, Exception exception);
}
