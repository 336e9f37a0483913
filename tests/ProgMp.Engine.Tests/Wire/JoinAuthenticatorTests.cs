using System.Buffers.Binary;
using System.Security.Cryptography;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Wire;

public sealed class JoinAuthenticatorTests
{
    private const ulong Token = 0x1122_3344_5566_7788;

    private readonly SessionKey _clientKey = JoinAuthenticator.NewKey();
    private readonly SessionKey _serverKey = JoinAuthenticator.NewKey();

    [Test]
    public void Both_ends_derive_the_same_secret_from_the_setup_exchange()
    {
        var clientSide = JoinAuthenticator.DeriveSecret(_clientKey, _serverKey, Token, 1);
        var serverSide = JoinAuthenticator.DeriveSecret(_clientKey, _serverKey, Token, 1);

        Assert.That(Bytes(clientSide), Is.EqualTo(Bytes(serverSide)));
        Assert.That(Bytes(clientSide), Is.Not.EqualTo(new byte[SessionSecret.Length]));
    }

    [Test]
    public void The_secret_is_the_documented_HKDF_of_both_keys()
    {
        var expected = HKDF.DeriveKey(
            HashAlgorithmName.SHA256,
            [.. Bytes(_clientKey), .. Bytes(_serverKey)],
            32,
            salt: [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x00, 0x01],
            info: "PGMP session secret"u8.ToArray());

        var secret = JoinAuthenticator.DeriveSecret(_clientKey, _serverKey, Token, 1);

        Assert.That(Bytes(secret), Is.EqualTo(expected));
    }

    [Test]
    public void A_different_key_token_or_version_gives_a_different_secret()
    {
        var secret = Bytes(JoinAuthenticator.DeriveSecret(_clientKey, _serverKey, Token, 1));

        Assert.That(Bytes(JoinAuthenticator.DeriveSecret(_serverKey, _clientKey, Token, 1)), Is.Not.EqualTo(secret));
        Assert.That(Bytes(JoinAuthenticator.DeriveSecret(_clientKey, JoinAuthenticator.NewKey(), Token, 1)), Is.Not.EqualTo(secret));
        Assert.That(Bytes(JoinAuthenticator.DeriveSecret(_clientKey, _serverKey, Token + 1, 1)), Is.Not.EqualTo(secret));
        Assert.That(Bytes(JoinAuthenticator.DeriveSecret(_clientKey, _serverKey, Token, 2)), Is.Not.EqualTo(secret));
    }

    [Test]
    public void A_join_by_a_client_that_knows_the_secret_is_accepted()
    {
        var secret = JoinAuthenticator.DeriveSecret(_clientKey, _serverKey, Token, 1);
        var request = Request(pathId: 2, backup: true);

        var challenge = JoinAuthenticator.CreateChallenge(secret, request);
        var confirmed = JoinAuthenticator.TryCreateConfirm(secret, request, challenge, out var confirm);

        Assert.That(confirmed, Is.True);
        Assert.That(JoinAuthenticator.VerifyConfirm(secret, request, challenge, confirm), Is.True);
    }

    [Test]
    public void The_join_MACs_are_the_documented_HMACs_over_both_nonces()
    {
        var secret = JoinAuthenticator.DeriveSecret(_clientKey, _serverKey, Token, 1);
        var request = Request(pathId: 2, backup: true);
        var challenge = JoinAuthenticator.CreateChallenge(secret, request);
        JoinAuthenticator.TryCreateConfirm(secret, request, challenge, out var confirm);
        byte[] fields =
        [
            0, 1,
            .. BigEndian(Token),
            .. Bytes(request.ClientNonce),
            .. Bytes(challenge.ServerNonce),
            2, 1,
        ];

        byte[] serverInput = [.. "PGMP join server"u8, .. fields];
        byte[] clientInput = [.. "PGMP join client"u8, .. fields];

        var serverMac = HMACSHA256.HashData(Bytes(secret), serverInput);
        var clientMac = HMACSHA256.HashData(Bytes(secret), clientInput);

        Assert.That(Bytes(challenge.ServerMac), Is.EqualTo(serverMac.Take(8)));
        Assert.That(Bytes(confirm.ClientMac), Is.EqualTo(clientMac));
    }

    [Test]
    public void A_join_with_a_wrong_HMAC_is_refused()
    {
        var secret = JoinAuthenticator.DeriveSecret(_clientKey, _serverKey, Token, 1);
        var request = Request();
        var challenge = JoinAuthenticator.CreateChallenge(secret, request);
        JoinAuthenticator.TryCreateConfirm(secret, request, challenge, out var confirm);

        for (var i = 0; i < ClientJoinMac.Length; i++)
        {
            var forged = confirm.ClientMac;
            forged[i] ^= 0x01;

            Assert.That(JoinAuthenticator.VerifyConfirm(secret, request, challenge, new JoinConfirmFrame(forged)), Is.False, $"byte {i}");
        }
    }

    [Test]
    public void A_join_by_a_client_without_the_secret_is_refused()
    {
        var secret = JoinAuthenticator.DeriveSecret(_clientKey, _serverKey, Token, 1);
        var guessed = JoinAuthenticator.DeriveSecret(_clientKey, JoinAuthenticator.NewKey(), Token, 1);
        var request = Request();
        var challenge = JoinAuthenticator.CreateChallenge(secret, request);

        // The impostor cannot even check the server's MAC, so it would give up; suppose it answers anyway.
        var accepted = JoinAuthenticator.TryCreateConfirm(guessed, request, challenge, out _);
        ClientJoinMac attempt = default;
        RandomNumberGenerator.Fill(attempt);

        Assert.That(accepted, Is.False);
        Assert.That(JoinAuthenticator.VerifyConfirm(secret, request, challenge, new JoinConfirmFrame(attempt)), Is.False);
        Assert.That(JoinAuthenticator.VerifyConfirm(secret, request, challenge, default(JoinConfirmFrame)), Is.False);
    }

    [Test]
    public void A_client_refuses_a_challenge_from_a_server_without_the_secret()
    {
        var secret = JoinAuthenticator.DeriveSecret(_clientKey, _serverKey, Token, 1);
        var impostor = JoinAuthenticator.DeriveSecret(JoinAuthenticator.NewKey(), _serverKey, Token, 1);
        var request = Request();

        var challenge = JoinAuthenticator.CreateChallenge(impostor, request);

        Assert.That(JoinAuthenticator.TryCreateConfirm(secret, request, challenge, out _), Is.False);
    }

    [Test]
    public void A_recorded_confirm_replayed_against_a_new_challenge_is_refused()
    {
        var secret = JoinAuthenticator.DeriveSecret(_clientKey, _serverKey, Token, 1);
        var request = Request();
        var first = JoinAuthenticator.CreateChallenge(secret, request);
        JoinAuthenticator.TryCreateConfirm(secret, request, first, out var recorded);

        var second = JoinAuthenticator.CreateChallenge(secret, request);

        Assert.That(Bytes(second.ServerNonce), Is.Not.EqualTo(Bytes(first.ServerNonce)));
        Assert.That(JoinAuthenticator.VerifyConfirm(secret, request, second, recorded), Is.False);
    }

    [Test]
    public void A_confirm_does_not_cover_a_request_with_another_path_or_priority()
    {
        var secret = JoinAuthenticator.DeriveSecret(_clientKey, _serverKey, Token, 1);
        var request = Request(pathId: 1, backup: false);
        var challenge = JoinAuthenticator.CreateChallenge(secret, request);
        JoinAuthenticator.TryCreateConfirm(secret, request, challenge, out var confirm);

        var otherPath = new JoinRequestFrame(1, Token, request.ClientNonce, 2, backup: false);
        var otherPriority = new JoinRequestFrame(1, Token, request.ClientNonce, 1, backup: true);

        Assert.That(JoinAuthenticator.VerifyConfirm(secret, otherPath, challenge, confirm), Is.False);
        Assert.That(JoinAuthenticator.VerifyConfirm(secret, otherPriority, challenge, confirm), Is.False);
    }

    [Test]
    public void The_server_MAC_cannot_stand_in_for_the_client_MAC()
    {
        var secret = JoinAuthenticator.DeriveSecret(_clientKey, _serverKey, Token, 1);
        var request = Request();
        var challenge = JoinAuthenticator.CreateChallenge(secret, request);
        JoinAuthenticator.TryCreateConfirm(secret, request, challenge, out var confirm);

        Assert.That(Bytes(confirm.ClientMac).Take(8), Is.Not.EqualTo(Bytes(challenge.ServerMac)));
    }

    [Test]
    public void Tokens_are_never_zero_and_keys_and_nonces_are_fresh()
    {
        var tokens = Enumerable.Range(0, 1_000).Select(_ => JoinAuthenticator.NewToken()).ToArray();

        Assert.That(tokens, Has.None.EqualTo(0UL));
        Assert.That(tokens.Distinct().Count(), Is.EqualTo(tokens.Length));
        var firstKey = Bytes(JoinAuthenticator.NewKey());
        var secondKey = Bytes(JoinAuthenticator.NewKey());
        var firstNonce = Bytes(JoinAuthenticator.NewNonce());
        var secondNonce = Bytes(JoinAuthenticator.NewNonce());

        Assert.That(secondKey, Is.Not.EqualTo(firstKey));
        Assert.That(secondNonce, Is.Not.EqualTo(firstNonce));
    }

    [Test]
    public void A_join_handshake_survives_the_wire()
    {
        var secret = JoinAuthenticator.DeriveSecret(_clientKey, _serverKey, Token, 1);
        var sent = Request(pathId: 3, backup: true);

        var request = WireTestKit.DecodeOne(WireTestKit.Encode(sent)).JoinRequest;
        var challenge = WireTestKit.DecodeOne(WireTestKit.Encode(JoinAuthenticator.CreateChallenge(secret, request))).JoinChallenge;
        JoinAuthenticator.TryCreateConfirm(secret, sent, challenge, out var made);
        var confirm = WireTestKit.DecodeOne(WireTestKit.Encode(made)).JoinConfirm;

        Assert.That(JoinAuthenticator.VerifyConfirm(secret, request, challenge, confirm), Is.True);
    }

    private static JoinRequestFrame Request(byte pathId = 1, bool backup = false) =>
        new(ProtocolVersion.Current, Token, JoinAuthenticator.NewNonce(), pathId, backup);

    private static byte[] BigEndian(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Bytes(in SessionKey value) => ((ReadOnlySpan<byte>)value).ToArray();

    private static byte[] Bytes(in SessionSecret value) => ((ReadOnlySpan<byte>)value).ToArray();

    private static byte[] Bytes(in JoinNonce value) => ((ReadOnlySpan<byte>)value).ToArray();

    private static byte[] Bytes(in ServerJoinMac value) => ((ReadOnlySpan<byte>)value).ToArray();

    private static byte[] Bytes(in ClientJoinMac value) => ((ReadOnlySpan<byte>)value).ToArray();
}
