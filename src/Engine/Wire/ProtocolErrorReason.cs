namespace ProgMp.Engine.Wire;

/// <summary>
/// Why a peer broke the protocol. Sent as the detail of a <see cref="CloseReason.ProtocolError"/>
/// close (docs/protocol.md, "Protocol error codes"), so the values are part of the wire format.
/// The decoder reports the first group; the engine reports the second, which needs session state.
/// </summary>
internal enum ProtocolErrorReason : ushort
{
    None = 0,

    // Found by the decoder: the bytes of one frame are wrong.

    /// <summary>The type byte names no frame of this version.</summary>
    UnknownFrameType = 1,

    /// <summary>The length field exceeds the largest body the frame type allows.</summary>
    FrameTooLarge = 2,

    /// <summary>The length is below the type's minimum, or disagrees with the frame's own contents.</summary>
    InvalidLength = 3,

    /// <summary>A flag bit this version does not define for the frame type is set.</summary>
    InvalidFlags = 4,

    /// <summary>A field holds a value its definition rules out (a zero token, an overflowing sequence number...).</summary>
    InvalidField = 5,

    /// <summary>Stream id 0, which names no stream.</summary>
    InvalidStreamId = 6,

    /// <summary>A stream open's destination is malformed: unknown kind, port 0, or a bad host name.</summary>
    InvalidDestination = 7,

    /// <summary>A path address is malformed: unknown family, port 0, or an unspecified address.</summary>
    InvalidAddress = 8,

    /// <summary>An opening frame lacks the protocol's magic number: the peer does not speak this protocol.</summary>
    BadMagic = 9,

    // Found by the engine: a well-formed frame that the session's state rules out.

    /// <summary>A frame that is not allowed now (data before setup, a second setup, a join frame on a live subflow...).</summary>
    UnexpectedFrame = 32,

    /// <summary>A stream id of the wrong parity for the opener, or below one already used.</summary>
    StreamIdNotAllowed = 33,

    /// <summary>Data beyond the receive window this side advertised.</summary>
    FlowControl = 34,

    /// <summary>Data beyond a stream's FIN, or two FINs at different offsets.</summary>
    FinalOffset = 35,

    /// <summary>A handshake did not complete in time.</summary>
    HandshakeTimeout = 36,
}
