using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// The server's answer to a <see cref="JoinRequestFrame"/> for a session it knows (docs/protocol.md,
/// "JOIN_CHALLENGE"): its fresh nonce and a truncated HMAC that proves it knows the session secret.
/// Made by <see cref="JoinAuthenticator.CreateChallenge"/>.
/// </summary>
internal readonly struct JoinChallengeFrame : IFrame
{
    /// <summary>Server nonce (16), server MAC (8).</summary>
    public const int FixedLength = JoinNonce.Length + ServerJoinMac.Length;

    public readonly JoinNonce ServerNonce;

    public readonly ServerJoinMac ServerMac;

    public JoinChallengeFrame(in JoinNonce serverNonce, in ServerJoinMac serverMac)
    {
        ServerNonce = serverNonce;
        ServerMac = serverMac;
    }

    public static FrameType Type => FrameType.JoinChallenge;

    public byte Flags => 0;

    public int BodyLength => FixedLength;

    public void WriteBody(Span<byte> destination)
    {
        ((ReadOnlySpan<byte>)ServerNonce).CopyTo(destination);
        ((ReadOnlySpan<byte>)ServerMac).CopyTo(destination[JoinNonce.Length..]);
    }

    internal static bool TryRead(ReadOnlySpan<byte> head, out JoinChallengeFrame frame, out ProtocolError error)
    {
        JoinNonce nonce = default;
        ServerJoinMac mac = default;
        head[..JoinNonce.Length].CopyTo(nonce);
        head.Slice(JoinNonce.Length, ServerJoinMac.Length).CopyTo(mac);
        frame = new(nonce, mac);
        error = default;
        return true;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"JOIN_CHALLENGE nonce={Convert.ToHexString(ServerNonce)} mac={Convert.ToHexString(ServerMac)}");
}
