namespace ProgMp.Engine;

/// <summary>A bound on what a peer can make the engine spend (<see cref="MultipathLimits"/>): each is counted when a peer reaches it.</summary>
public enum ResourceLimit
{
    // Admission: sessions and handshakes.

    /// <summary>Sessions a listener holds at once.</summary>
    SessionsPerProcess,

    /// <summary>Sessions from one source address at once.</summary>
    SessionsPerAddress,

    /// <summary>Connections in a TLS or setup/join handshake at once.</summary>
    PendingHandshakes,

    /// <summary>A handshake (TLS, setup or join; a proxy's SOCKS handshake) that did not complete in time.</summary>
    HandshakeTimeout,

    /// <summary>A connection whose credential was missing, unknown or revoked.</summary>
    Unauthenticated,

    // Streams and received data.

    /// <summary>Streams a peer has open in one session at once.</summary>
    StreamsPerSession,

    /// <summary>DATA for a stream that was never opened.</summary>
    UnopenedStream,

    /// <summary>Bytes a session holds for its streams (reorder buffers and streams not yet accepted).</summary>
    SessionBufferedBytes,

    /// <summary>Out-of-order segments one stream holds.</summary>
    SegmentsPerStream,

    // Subflows and signalling.

    /// <summary>Control bytes queued for one subflow while its peer does not read.</summary>
    ControlBytesPerSubflow,

    /// <summary>Streams the remote side opened towards a side that takes none (the local proxy).</summary>
    PeerOpenedStream,

    /// <summary>Out-of-order segments all streams of one session hold.</summary>
    SegmentsPerSession,

    /// <summary>Stream resets of this side not yet known to have reached the peer, kept to be sent again.</summary>
    PendingResets,

    /// <summary>Connections on the local proxy's SOCKS and forward ports not yet relaying, at once.</summary>
    ProxyHandshakes,
}
