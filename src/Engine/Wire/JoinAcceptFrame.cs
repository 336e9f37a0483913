namespace ProgMp.Engine.Wire;

/// <summary>
/// The server verified the client's HMAC (docs/protocol.md, "JOIN_ACCEPT"): from here on the subflow
/// belongs to the session and may carry any session frame. It has no body.
/// </summary>
internal readonly struct JoinAcceptFrame : IFrame
{
    public static FrameType Type => FrameType.JoinAccept;

    public byte Flags => 0;

    public int BodyLength => 0;

    public void WriteBody(Span<byte> destination)
    {
    }

    public override string ToString() => "JOIN_ACCEPT";
}
