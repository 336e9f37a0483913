namespace ProgMp.Engine.Wire;

/// <summary>What <see cref="FrameDecoder"/> made of the bytes it was given.</summary>
internal enum DecodeStatus
{
    /// <summary>A whole, valid frame was decoded and the input advanced past it.</summary>
    Decoded,

    /// <summary>The bytes so far are a valid beginning of a frame; the input was not advanced.</summary>
    NeedMoreData,

    /// <summary>
    /// The bytes break the protocol. The session must end with a <see cref="FrameType.Close"/> carrying
    /// <see cref="CloseReason.ProtocolError"/>; the decoder never resynchronizes.
    /// </summary>
    Error,
}
