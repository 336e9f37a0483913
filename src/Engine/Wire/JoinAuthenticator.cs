using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ProgMp.Engine.Wire;

/// <summary>
/// The cryptography of setup and join (docs/protocol.md, "Session secret" and "Joining a subflow"):
/// random key halves and nonces, the session secret derived from both halves, and the HMACs with which
/// a new subflow proves it knows the secret. Modelled on MPTCP v1's MP_CAPABLE and MP_JOIN (RFC 8684).
/// </summary>
/// <remarks>
/// As in MPTCP, the key halves travel in clear: someone who watched the setup can join. What the join
/// stops is everyone else, including whoever only learns the session token from a later join. Run the
/// subflows over a secure channel if on-path observers matter. Everything here works on spans and
/// allocates nothing.
/// </remarks>
internal static class JoinAuthenticator
{
    /// <summary>HMAC-SHA256 message prefixes, one per direction, so neither MAC can stand in for the other.</summary>
    private static ReadOnlySpan<byte> ServerLabel => "PGMP join server"u8;

    private static ReadOnlySpan<byte> ClientLabel => "PGMP join client"u8;

    /// <summary>The HKDF info that binds the secret to its purpose.</summary>
    private static ReadOnlySpan<byte> SecretInfo => "PGMP session secret"u8;

    /// <summary>Label (16), version (2), token (8), client nonce (16), server nonce (16), path id (1), backup (1).</summary>
    private const int MacInputLength = 16 + 2 + 8 + JoinNonce.Length + JoinNonce.Length + 1 + 1;

    public static SessionKey NewKey()
    {
        SessionKey key = default;
        RandomNumberGenerator.Fill(key);
        return key;
    }

    public static JoinNonce NewNonce()
    {
        JoinNonce nonce = default;
        RandomNumberGenerator.Fill(nonce);
        return nonce;
    }

    /// <summary>A random session token for the server to offer; never 0. The server also checks it is unused.</summary>
    public static ulong NewToken()
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong token;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            token = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        }
        while (token == 0);

        return token;
    }

    /// <summary>
    /// secret = HKDF-SHA256(IKM = client key ‖ server key, salt = token ‖ version, info = "PGMP session secret").
    /// Both ends compute it after SETUP_ACK; it never goes on the wire.
    /// </summary>
    public static SessionSecret DeriveSecret(in SessionKey clientKey, in SessionKey serverKey, ulong token, ushort version)
    {
        Span<byte> ikm = stackalloc byte[2 * SessionKey.Length];
        ((ReadOnlySpan<byte>)clientKey).CopyTo(ikm);
        ((ReadOnlySpan<byte>)serverKey).CopyTo(ikm[SessionKey.Length..]);
        Span<byte> salt = stackalloc byte[10];
        BinaryPrimitives.WriteUInt64BigEndian(salt, token);
        BinaryPrimitives.WriteUInt16BigEndian(salt[8..], version);
        SessionSecret secret = default;
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, secret, salt, SecretInfo);
        CryptographicOperations.ZeroMemory(ikm);
        return secret;
    }

    /// <summary>
    /// The server's side of step 2: a fresh nonce and the server's truncated MAC over the request.
    /// Call only after the token named a known session whose version matches the request's.
    /// </summary>
    public static JoinChallengeFrame CreateChallenge(in SessionSecret secret, in JoinRequestFrame request)
    {
        var serverNonce = NewNonce();
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeMac(secret, ServerLabel, request, serverNonce, mac);
        ServerJoinMac truncated = default;
        mac[..ServerJoinMac.Length].CopyTo(truncated);
        return new(serverNonce, truncated);
    }

    /// <summary>
    /// The client's side of step 3: checks the server's MAC (a server that cannot show the secret is
    /// not the session's peer) and, if it holds, makes the client's full MAC.
    /// </summary>
    public static bool TryCreateConfirm(
        in SessionSecret secret,
        in JoinRequestFrame request,
        in JoinChallengeFrame challenge,
        out JoinConfirmFrame confirm)
    {
        confirm = default;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeMac(secret, ServerLabel, request, challenge.ServerNonce, mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..ServerJoinMac.Length], challenge.ServerMac))
        {
            return false;
        }

        ComputeMac(secret, ClientLabel, request, challenge.ServerNonce, mac);
        ClientJoinMac clientMac = default;
        mac.CopyTo(clientMac);
        confirm = new(clientMac);
        return true;
    }

    /// <summary>
    /// The server's side of step 4: true only if the client's MAC is the one the secret gives, compared
    /// in constant time. On false the server refuses the subflow with
    /// <see cref="CloseReason.AuthenticationFailed"/>; the session itself is untouched.
    /// </summary>
    public static bool VerifyConfirm(
        in SessionSecret secret,
        in JoinRequestFrame request,
        in JoinChallengeFrame challenge,
        in JoinConfirmFrame confirm)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeMac(secret, ClientLabel, request, challenge.ServerNonce, mac);
        return CryptographicOperations.FixedTimeEquals(mac, confirm.ClientMac);
    }

    /// <summary>HMAC-SHA256(secret, label ‖ version ‖ token ‖ client nonce ‖ server nonce ‖ path id ‖ backup).</summary>
    private static void ComputeMac(
        in SessionSecret secret,
        ReadOnlySpan<byte> label,
        in JoinRequestFrame request,
        in JoinNonce serverNonce,
        Span<byte> mac)
    {
        Span<byte> input = stackalloc byte[MacInputLength];
        label.CopyTo(input);
        BinaryPrimitives.WriteUInt16BigEndian(input[16..], request.Version);
        BinaryPrimitives.WriteUInt64BigEndian(input[18..], request.Token);
        ((ReadOnlySpan<byte>)request.ClientNonce).CopyTo(input[26..]);
        ((ReadOnlySpan<byte>)serverNonce).CopyTo(input[42..]);
        input[58] = request.PathId;
        input[59] = request.Backup ? (byte)1 : (byte)0;
        HMACSHA256.HashData(secret, input, mac);
    }
}
