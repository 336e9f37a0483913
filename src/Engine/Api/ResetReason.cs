namespace ProgMp.Engine;

/// <summary>Why a stream was reset (TCP's RST to the FIN of a normal close), as it travels in STREAM_RESET.</summary>
public enum ResetReason
{
    /// <summary>The application aborted the stream.</summary>
    Cancelled = 0,

    /// <summary>The peer takes no (more) streams.</summary>
    Refused = 1,

    /// <summary>The proxy could not reach the destination's network or host.</summary>
    DestinationUnreachable = 2,

    /// <summary>The destination refused the connection.</summary>
    ConnectionRefused = 3,

    /// <summary>The destination's host name did not resolve.</summary>
    HostNotFound = 4,

    /// <summary>The destination connection was reset after it was established.</summary>
    ConnectionReset = 5,

    /// <summary>Connecting, or the stream itself, timed out.</summary>
    Timeout = 6,

    /// <summary>The stream broke the protocol.</summary>
    ProtocolError = 7,

    /// <summary>A failure in the sender.</summary>
    InternalError = 8,
}
