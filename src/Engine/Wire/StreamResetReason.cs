namespace ProgMp.Engine.Wire;

/// <summary>
/// Why a stream was reset (docs/protocol.md, "Stream reset reasons"). A reset aborts; a FIN closes.
/// The proxy maps the legacy side's TCP outcome onto these, as TM3 distinguishes FIN from RST.
/// A receiver accepts any value and treats an unknown one like <see cref="Cancelled"/>.
/// </summary>
internal enum StreamResetReason : ushort
{
    /// <summary>The application aborted the stream.</summary>
    Cancelled = 0,

    /// <summary>The peer will not take the stream (no one accepts streams, or too many are open).</summary>
    Refused = 1,

    /// <summary>The proxy could not reach the destination's network or host.</summary>
    DestinationUnreachable = 2,

    /// <summary>The destination refused the connection.</summary>
    ConnectionRefused = 3,

    /// <summary>The destination's host name did not resolve.</summary>
    HostNotFound = 4,

    /// <summary>The destination connection was reset after it was established.</summary>
    ConnectionReset = 5,

    /// <summary>Connecting to the destination, or the stream itself, timed out.</summary>
    Timeout = 6,

    /// <summary>The stream broke the protocol (the session itself stays up).</summary>
    ProtocolError = 7,

    /// <summary>A failure inside the sender, not caused by the peer.</summary>
    InternalError = 8,
}
