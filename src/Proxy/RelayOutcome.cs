using ProgMp.Engine;

namespace ProgMp.Proxy;

/// <summary>How a <see cref="TcpRelay"/> ended.</summary>
internal enum RelayOutcome
{
    /// <summary>Both directions ended with a FIN.</summary>
    Completed,

    /// <summary>The TCP peer reset its connection (or it failed); the stream was reset with <see cref="ResetReason.ConnectionReset"/>.</summary>
    SocketReset,

    /// <summary>The stream was reset (by the peer or its session's end); the TCP peer got a reset.</summary>
    StreamReset,

    /// <summary>The relay was cancelled (the proxy is stopping); both sides were reset.</summary>
    Cancelled,

    /// <summary>The stream broke the proxy protocol; both sides were reset.</summary>
    ProtocolError,

    /// <summary>An unexpected error in the relay; both sides were reset.</summary>
    Failed,
}
