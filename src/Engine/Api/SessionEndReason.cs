namespace ProgMp.Engine;

/// <summary>Why a session ended (<see cref="MultipathSession.EndReason"/>); who ended it is <see cref="MultipathSession.EndedByPeer"/>.</summary>
public enum SessionEndReason
{
    /// <summary>An application closed it (<see cref="MultipathSession.CloseAsync"/> here, or its peer's).</summary>
    Closed,

    /// <summary>A host shut down (a listener was disposed).</summary>
    Shutdown,

    /// <summary>It had no subflow for longer than <see cref="MultipathOptions.SessionIdleTimeout"/>.</summary>
    IdleTimeout,

    /// <summary>A side broke the protocol (docs/protocol.md); <see cref="MultipathSession.CloseReason"/> names the rule.</summary>
    ProtocolError,

    /// <summary>The sides speak no common protocol version.</summary>
    UnsupportedVersion,

    /// <summary>The server no longer knows the session (it restarted or ended it), so no path can join it again.</summary>
    UnknownSession,

    /// <summary>A credential failed: the client is not (or no longer) authorized, or a join did not prove the session's secret.</summary>
    AuthenticationFailed,

    /// <summary>A bound of <see cref="MultipathOptions.Limits"/> was crossed.</summary>
    ResourceLimit,

    /// <summary>A failure inside a host, not caused by its peer.</summary>
    InternalError,
}
