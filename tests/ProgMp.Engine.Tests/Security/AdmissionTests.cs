using System.Diagnostics;
using System.Net.Sockets;
using ProgMp.Engine.Security;
using ProgMp.Engine.Sessions;
using ProgMp.Engine.Tests.Support;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Security;

/// <summary>
/// What a peer can make a listener hold before it has proved anything: connections in their handshake
/// (each dropped after the handshake timeout, TLS included) and sessions, in total and per address.
/// Every refusal is counted, and an authorized session set up meanwhile works.
/// </summary>
[CancelAfter(90_000)]
public class AdmissionTests
{
    private static readonly MultipathIdentity s_alice = MultipathIdentity.Create("alice");
    private static readonly MultipathIdentity s_bob = MultipathIdentity.Create("bob");

    // A TLS record header announcing a 512-byte handshake record, and the start of a ClientHello in it.
    private static readonly byte[] s_partialClientHello = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x5a, 0x5a];

    [TestCase(0, TestName = "A connection that opens TCP and says nothing is dropped after the handshake timeout")]
    [TestCase(13, TestName = "A connection that sends part of a ClientHello byte by byte is dropped after the handshake timeout")]
    public async Task A_slowloris_is_dropped_after_the_handshake_timeout(int bytes, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(2);
        await using var setup = SecureSetup.Start([s_alice], handshakeTimeout: timeout);
        var clock = Stopwatch.StartNew();
        var slow = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ConnectAsync(setup, cancellationToken)));
        await Task.WhenAll(slow.Select(socket => TrickleAsync(socket, s_partialClientHello.AsMemory(0, bytes), cancellationToken)));

        // Meanwhile, a real client gets through.
        await using var alice = await setup.ConnectAsync(s_alice, cancellationToken);
        foreach (var socket in slow)
        {
            using (socket)
            {
                Assert.That(await EndsAsync(socket, cancellationToken), Is.True);
            }
        }

        Assert.Multiple(async () =>
        {
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(timeout * 0.9), "not dropped before its time");
            Assert.That(setup.Limits.Hits(ResourceLimit.HandshakeTimeout), Is.EqualTo(5));
            Assert.That(setup.Listener.PendingHandshakes, Is.Zero);
            Assert.That(await setup.TransferArrivesWholeAsync(alice, cancellationToken), Is.True);
        });
    }

    [TestCase(2, 16, TestName = "Connections beyond the listener's bound on handshakes at once are closed at once")]
    [TestCase(100, 2, TestName = "Connections beyond one address's bound on handshakes at once are closed at once")]
    public async Task Handshakes_at_once_are_bounded(int total, int perAddress, CancellationToken cancellationToken)
    {
        var limits = new MultipathLimits { MaxPendingHandshakes = total, MaxPendingHandshakesPerAddress = perAddress };
        await using var setup = SecureSetup.Start([s_alice], handshakeTimeout: TimeSpan.FromSeconds(60), limits: limits);
        var held = new List<Socket>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                held.Add(await ConnectAsync(setup, cancellationToken));
            }

            while (setup.Listener.PendingHandshakes < 2)
            {
                await Task.Delay(10, cancellationToken);
            }

            // Closed long before the 60 s handshake timeout could have done it.
            using var soon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            soon.CancelAfter(TimeSpan.FromSeconds(30));
            var closed = await ConnectAndSeeItEndAsync(setup, soon.Token);
            Assert.Multiple(() =>
            {
                Assert.That(closed, Is.True);
                Assert.That(setup.Limits.Hits(ResourceLimit.PendingHandshakes), Is.EqualTo(1));
                Assert.That(setup.Listener.PendingHandshakes, Is.EqualTo(2));
            });
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }

    [TestCase(1, 32, ResourceLimit.SessionsPerProcess, "Too many sessions.")]
    [TestCase(256, 1, ResourceLimit.SessionsPerAddress, "Too many sessions from this address.")]
    public async Task A_session_beyond_a_bound_is_refused_with_CLOSE_ResourceLimit_and_counted(int total, int perAddress, ResourceLimit limit, string message, CancellationToken cancellationToken)
    {
        var limits = new MultipathLimits { MaxSessions = total, MaxSessionsPerAddress = perAddress };
        await using var setup = SecureSetup.Start([s_alice, s_bob], limits: limits);
        await using var alice = await setup.ConnectAsync(s_alice, cancellationToken);

        var refused = Assert.ThrowsAsync<IOException>(async () => await setup.ConnectAsync(s_bob, cancellationToken));

        Assert.Multiple(async () =>
        {
            Assert.That(refused!.Message, Does.Contain($"the peer refused: ResourceLimit ({message})"));
            Assert.That(setup.Limits.Hits(limit), Is.EqualTo(1));
            Assert.That(setup.Listener.SessionCount, Is.EqualTo(1));
            Assert.That(await setup.TransferArrivesWholeAsync(alice, cancellationToken), Is.True);
        });
    }

    [Test]
    public async Task A_closed_session_gives_its_place_back(CancellationToken cancellationToken)
    {
        await using var setup = SecureSetup.Start([s_alice], limits: new MultipathLimits { MaxSessions = 1, MaxSessionsPerAddress = 1 });
        var first = await setup.ConnectAsync(s_alice, cancellationToken);
        var server = await setup.ServerSideAsync(first, cancellationToken);
        await first.DisposeAsync();
        await server.Completion.WaitAsync(cancellationToken);

        await using var second = await setup.ConnectAsync(s_alice, cancellationToken);
        Assert.That(await setup.TransferArrivesWholeAsync(second, cancellationToken), Is.True);
    }

    [Test]
    public async Task A_join_beyond_the_sessions_subflows_is_refused_before_JOIN_ACCEPT_and_the_session_lives_on(CancellationToken cancellationToken)
    {
        const int Slots = Runtime.Model.SubflowView.MaxSlots;
        await using var setup = SecureSetup.Start([s_alice]);
        await using var alice = await setup.ConnectAsync(s_alice, cancellationToken, paths: Slots);
        var server = await setup.ServerSideAsync(alice, cancellationToken);
        while (SessionPair.ActiveSubflows(server) < Slots)
        {
            await Task.Delay(10, cancellationToken);
        }

        // A join by the session's own client, MAC and all, while the server has no room left.
        var core = alice.Core;
        using var socket = await ConnectAsync(setup, cancellationToken);
        var transport = await SubflowTls.ConnectAsync(socket, setup.ClientOptions(s_alice).Security!, cancellationToken);
        var request = new JoinRequestFrame(core.Version, core.Token, JoinAuthenticator.NewNonce(), 1, backup: false);
        await Handshake.SendAsync(transport.Stream, request, cancellationToken);
        var challenge = (await Handshake.ExpectAsync(transport.Reader, FrameType.JoinChallenge, cancellationToken)).JoinChallenge;
        Assert.That(JoinAuthenticator.TryCreateConfirm(core.Secret, request, challenge, out var confirm), Is.True);
        await Handshake.SendAsync(transport.Stream, confirm, cancellationToken);
        var (answer, message) = await Handshake.ReadAsync(transport.Reader, cancellationToken);
        await transport.CloseAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(answer.Type, Is.EqualTo(FrameType.Close), "refused before JOIN_ACCEPT, as a handshake is");
            Assert.That(answer.Type == FrameType.Close ? answer.Close.Reason : (CloseReason?)null, Is.EqualTo(CloseReason.ResourceLimit), message);
            Assert.That(alice.Completion.IsCompleted, Is.False, alice.CloseReason);
            Assert.That(await setup.TransferArrivesWholeAsync(alice, cancellationToken), Is.True);
        });
    }

    /// <summary>One byte at a time, 10 ms apart; a listener that already dropped the connection ends it early.</summary>
    private static async Task TrickleAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                await socket.SendAsync(bytes.Slice(i, 1), SocketFlags.None, cancellationToken);
                await Task.Delay(10, cancellationToken);
            }
        }
        catch (SocketException)
        {
        }
    }

    private static async Task<Socket> ConnectAsync(SecureSetup setup, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(setup.EndPoint, cancellationToken);
        return socket;
    }

    /// <summary>A connection the listener closes at once: the reset may even beat the connect's completion.</summary>
    private static async Task<bool> ConnectAndSeeItEndAsync(SecureSetup setup, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = await ConnectAsync(setup, cancellationToken);
            return await EndsAsync(socket, cancellationToken);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    /// <summary>The listener closed the connection: end of stream or a reset, without a byte before.</summary>
    private static async Task<bool> EndsAsync(Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            return await socket.ReceiveAsync(new byte[1], SocketFlags.None, cancellationToken) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }
}
