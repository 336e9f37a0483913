namespace ProgMp.Engine.Wire;

/// <summary>
/// A frame kind that <see cref="FrameEncoder"/> can write. The encoder is generic over this interface
/// with a struct constraint, so writing a frame neither boxes nor dispatches virtually.
/// </summary>
internal interface IFrame
{
    /// <summary>The type byte of this kind.</summary>
    static abstract FrameType Type { get; }

    /// <summary>The flags byte as it goes on the wire.</summary>
    byte Flags { get; }

    /// <summary>Bytes after the header.</summary>
    int BodyLength { get; }

    /// <summary>Writes exactly <see cref="BodyLength"/> bytes.</summary>
    void WriteBody(Span<byte> destination);
}
