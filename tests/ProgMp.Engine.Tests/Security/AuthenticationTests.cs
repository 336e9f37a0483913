using System.Net.Sockets;
using ProgMp.Engine.Security;
using ProgMp.Engine.Sessions;
using ProgMp.Engine.Tests.Support;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Security;

/// <summary>
/// Who gets a session: only a client whose certificate's public id is in the authorized clients file,
/// and only a server whose id the client pins. Every refused client is counted, and an authorized
/// session beside it moves its bytes intact.
/// </summary>
[CancelAfter(60_000)]
public class AuthenticationTests
{
    private static readonly MultipathIdentity s_alice = MultipathIdentity.Create("alice");
    private static readonly MultipathIdentity s_carol = MultipathIdentity.Create("carol");
    private static readonly MultipathIdentity s_mallory = MultipathIdentity.Create("mallory");

    [Test]
    public async Task A_client_without_a_certificate_is_refused_in_TLS_and_counted_while_an_authorized_session_moves_its_bytes(CancellationToken cancellationToken)
    {
        await using var setup = SecureSetup.Start([s_alice]);
        await using var alice = await setup.ConnectAsync(s_alice, cancellationToken);

        var anonymous = await setup.ConnectWithoutCertificateAsync(cancellationToken);
        if (anonymous is not null)
        {
            // TLS 1.3 lets the client finish before the server has looked at its certificate: the refusal comes next.
            await using (anonymous)
            {
                Assert.That(await ReadsNothingAsync(anonymous, cancellationToken), Is.True);
            }
        }

        await WaitForAsync(() => setup.Limits.Hits(ResourceLimit.Unauthenticated) >= 1, cancellationToken);
        Assert.Multiple(async () =>
        {
            Assert.That(setup.Listener.SessionCount, Is.EqualTo(1));
            Assert.That(await setup.TransferArrivesWholeAsync(alice, cancellationToken), Is.True);
        });
    }

    [Test]
    public async Task A_client_whose_identity_is_not_authorized_is_told_so_and_counted_while_an_authorized_session_moves_its_bytes(CancellationToken cancellationToken)
    {
        await using var setup = SecureSetup.Start([s_alice]);
        await using var alice = await setup.ConnectAsync(s_alice, cancellationToken);

        var refused = Assert.ThrowsAsync<IOException>(async () => await setup.ConnectAsync(s_mallory, cancellationToken));

        Assert.Multiple(async () =>
        {
            Assert.That(refused!.Message, Does.Contain($"the peer refused: AuthenticationFailed (Client {s_mallory.PublicId} is not authorized.)"));
            Assert.That(setup.Limits.Hits(ResourceLimit.Unauthenticated), Is.EqualTo(1));
            Assert.That(setup.Listener.SessionCount, Is.EqualTo(1));
            Assert.That(await setup.TransferArrivesWholeAsync(alice, cancellationToken), Is.True);
        });
    }

    [Test]
    public async Task A_client_removed_from_the_file_while_the_listener_runs_loses_its_session_and_cannot_come_back(CancellationToken cancellationToken)
    {
        await using var setup = SecureSetup.Start([s_alice, s_carol]);
        await using var alice = await setup.ConnectAsync(s_alice, cancellationToken, paths: 2);
        await using var carol = await setup.ConnectAsync(s_carol, cancellationToken);

        setup.Authorize([s_carol]);

        // Nobody connects: the listener notices the change by itself.
        await alice.Completion.WaitAsync(cancellationToken);
        var refused = Assert.ThrowsAsync<IOException>(async () => await setup.ConnectAsync(s_alice, cancellationToken));
        Assert.Multiple(async () =>
        {
            Assert.That(alice.CloseReason, Does.Contain("AuthenticationFailed").Or.Contain("no longer authorized"));
            Assert.That(alice.EndReason, Is.EqualTo(SessionEndReason.AuthenticationFailed));
            Assert.That(refused!.Message, Does.Contain("AuthenticationFailed"));

            // At least the new attempt; a join of alice's second path racing the end of her session counts too.
            Assert.That(setup.Limits.Hits(ResourceLimit.Unauthenticated), Is.GreaterThanOrEqualTo(1));
            Assert.That(carol.Completion.IsCompleted, Is.False);
            Assert.That(await setup.TransferArrivesWholeAsync(carol, cancellationToken), Is.True);
        });
    }

    [Test]
    public async Task A_client_refuses_a_server_whose_public_id_is_not_the_pinned_one(CancellationToken cancellationToken)
    {
        await using var setup = SecureSetup.Start([s_alice]);
        var impostorPin = MultipathIdentity.Create("the-real-server").PublicId;
        var options = setup.ClientOptions(s_alice, serverId: impostorPin);

        var refused = Assert.ThrowsAsync<IOException>(async () =>
            await MultipathClient.ConnectAsync([new MultipathPath(setup.EndPoint)], options, new TestLoggerFactory(), cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(refused!.Message, Does.Contain($"the server is {setup.Server.PublicId}, not the pinned {impostorPin}: refused"));
            Assert.That(setup.Listener.SessionCount, Is.Zero);
        });
    }

    [Test]
    public async Task A_join_that_knows_the_sessions_secret_but_presents_another_clients_identity_is_refused(CancellationToken cancellationToken)
    {
        await using var setup = SecureSetup.Start([s_alice, s_carol]);
        await using var alice = await setup.ConnectAsync(s_alice, cancellationToken);
        var core = alice.Core;

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(setup.EndPoint, cancellationToken);
        var transport = await SubflowTls.ConnectAsync(socket, setup.ClientOptions(s_carol).Security!, cancellationToken);
        var request = new JoinRequestFrame(core.Version, core.Token, JoinAuthenticator.NewNonce(), 1, backup: false);
        await Handshake.SendAsync(transport.Stream, request, cancellationToken);
        var (answer, message) = await Handshake.ReadAsync(transport.Reader, cancellationToken);
        await transport.CloseAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(answer.Type, Is.EqualTo(FrameType.Close));
            Assert.That(answer.Close.Reason, Is.EqualTo(CloseReason.AuthenticationFailed));
            Assert.That(message, Is.EqualTo("Not this session's client."));
            Assert.That(setup.Limits.Hits(ResourceLimit.Unauthenticated), Is.EqualTo(1));
            Assert.That(await setup.TransferArrivesWholeAsync(alice, cancellationToken), Is.True);
        });
    }

    [Test]
    public async Task While_the_file_is_missing_nobody_new_gets_in_and_revocation_works_again_once_it_is_back(CancellationToken cancellationToken)
    {
        await using var setup = SecureSetup.Start([s_alice, s_carol]);
        await using var alice = await setup.ConnectAsync(s_alice, cancellationToken);

        File.Delete(setup.AuthorizedFile);
        var refusedWhileMissing = Assert.ThrowsAsync<IOException>(async () => await setup.ConnectAsync(s_carol, cancellationToken));

        // Give the listener's check a few rounds with the file gone: a live session is not cut for it.
        await Task.Delay(MultipathListener.RevocationCheckInterval * 3, cancellationToken);
        var aliceLivedOn = !alice.Completion.IsCompleted;
        setup.Authorize([s_carol]);
        await alice.Completion.WaitAsync(cancellationToken);
        await using var carol = await setup.ConnectAsync(s_carol, cancellationToken);

        Assert.Multiple(async () =>
        {
            Assert.That(refusedWhileMissing!.Message, Does.Contain("AuthenticationFailed"));
            Assert.That(aliceLivedOn, Is.True);
            Assert.That(await setup.TransferArrivesWholeAsync(carol, cancellationToken), Is.True);
        });
    }

    /// <summary>The stream ends (or fails) without a byte: the server refused after the handshake.</summary>
    private static async Task<bool> ReadsNothingAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.ReadAsync(new byte[1], cancellationToken) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(10, cancellationToken);
        }
    }
}
