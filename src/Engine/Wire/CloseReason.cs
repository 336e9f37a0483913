namespace ProgMp.Engine.Wire;

/// <summary>
/// Why a <see cref="CloseFrame"/> ends a session, or refuses a connection during a handshake
/// (docs/protocol.md, "Close reasons"). A receiver accepts any value: an unknown code means "closed".
/// </summary>
internal enum CloseReason : ushort
{
    /// <summary>The application closed the session.</summary>
    Normal = 0,

    /// <summary>The host is shutting down.</summary>
    Shutdown = 1,

    /// <summary>No traffic for longer than the session's idle limit.</summary>
    IdleTimeout = 2,

    /// <summary>The peer broke the protocol; the detail is a <see cref="ProtocolErrorReason"/>.</summary>
    ProtocolError = 3,

    /// <summary>No common protocol version; the detail is the highest version the sender speaks.</summary>
    UnsupportedVersion = 4,

    /// <summary>A join named a session token this host does not know.</summary>
    UnknownSession = 5,

    /// <summary>A join's HMAC did not verify: the joiner does not know the session secret.</summary>
    AuthenticationFailed = 6,

    /// <summary>Too many sessions, subflows or streams for this host.</summary>
    ResourceLimit = 7,

    /// <summary>A failure inside the sender, not caused by the peer.</summary>
    InternalError = 8,
}
