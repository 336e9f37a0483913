using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// The client's proof that it knows the session secret (docs/protocol.md, "JOIN_CONFIRM"): the full
/// HMAC over both nonces. Made by <see cref="JoinAuthenticator.TryCreateConfirm"/>, checked by
/// <see cref="JoinAuthenticator.VerifyConfirm"/>; a wrong one gets the subflow refused.
/// </summary>
internal readonly struct JoinConfirmFrame : IFrame
{
    public const int FixedLength = ClientJoinMac.Length;

    public readonly ClientJoinMac ClientMac;

    public JoinConfirmFrame(in ClientJoinMac clientMac) => ClientMac = clientMac;

    public static FrameType Type => FrameType.JoinConfirm;

    public byte Flags => 0;

    public int BodyLength => FixedLength;

    public void WriteBody(Span<byte> destination) => ((ReadOnlySpan<byte>)ClientMac).CopyTo(destination);

    internal static bool TryRead(ReadOnlySpan<byte> head, out JoinConfirmFrame frame, out ProtocolError error)
    {
        ClientJoinMac mac = default;
        head[..ClientJoinMac.Length].CopyTo(mac);
        frame = new(mac);
        error = default;
        return true;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"JOIN_CONFIRM mac={Convert.ToHexString(ClientMac)}");
}
