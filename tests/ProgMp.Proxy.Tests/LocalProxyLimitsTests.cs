using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ProgMp.Proxy;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Proxy.Tests;

/// <summary>
/// Slowloris on the local proxy's own ports: a SOCKS handshake has a time limit, the connections in a
/// handshake (or waiting for a session) have a bound, and waiting costs no thread. The proxy's paths
/// lead nowhere, so no session ever comes: what is tested is the ports alone.
/// </summary>
[CancelAfter(120_000)]
public class LocalProxyLimitsTests
{
    private static readonly TimeSpan s_handshakeTimeout = TimeSpan.FromSeconds(2);

    private static IEnumerable<TestCaseData> SlowClients()
    {
        yield return new TestCaseData(Array.Empty<byte>()).SetName("A SOCKS client that connects and sends nothing is reset after the handshake time limit");

        // A greeting that announces 255 methods and sends them a byte a second never ends by itself.
        yield return new TestCaseData(new byte[] { 5, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 })
            .SetName("A SOCKS client that sends a byte a second is reset after the handshake time limit");
    }

    [TestCaseSource(nameof(SlowClients))]
    public async Task A_slow_SOCKS_client_is_dropped_after_the_limit(byte[] trickle, CancellationToken cancellationToken)
    {
        var setup = Options(s_handshakeTimeout, maxHandshakes: 16);
        await using var proxy = StartProxy(setup, connectTimeout: null);
        using var client = await ConnectAsync(proxy.SocksEndPoint!, cancellationToken);
        var started = Stopwatch.StartNew();
        using var stopTrickle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var trickling = TrickleAsync(client, trickle, stopTrickle.Token);

        await WaitClosedAsync(client, cancellationToken);
        await stopTrickle.CancelAsync();
        await trickling;
        Assert.Multiple(() =>
        {
            // Not at once but after the limit, less the moments the test's continuation may lag behind the
            // proxy's accept; a loaded machine only makes the drop later.
            Assert.That(started.Elapsed, Is.GreaterThanOrEqualTo(s_handshakeTimeout * 0.9), "dropped only after the limit");
            Assert.That(setup.Options.Limits.Hits(ResourceLimit.HandshakeTimeout), Is.EqualTo(1));
        });
        await WaitForAsync(() => proxy.PendingHandshakes == 0, cancellationToken);
    }

    [Test]
    public async Task A_forward_client_waiting_for_a_session_is_dropped_after_the_connect_timeout(CancellationToken cancellationToken)
    {
        var connectTimeout = TimeSpan.FromSeconds(2);
        await using var proxy = StartProxy(Options(TimeSpan.FromSeconds(60), maxHandshakes: 16), connectTimeout);
        using var client = await ConnectAsync(proxy.Forwards[0].Listen, cancellationToken);
        var started = Stopwatch.StartNew();
        await WaitForAsync(() => proxy.PendingHandshakes == 1, cancellationToken);
        await WaitClosedAsync(client, cancellationToken);
        Assert.That(started.Elapsed, Is.GreaterThanOrEqualTo(connectTimeout * 0.9));
        await WaitForAsync(() => proxy.PendingHandshakes == 0, cancellationToken);
    }

    [TestCase(true, TestName = "Past the bound on connections in a handshake, a new SOCKS client is reset at once")]
    [TestCase(false, TestName = "Past the bound on connections in a handshake, a new forward client is reset at once")]
    public async Task Past_the_bound_a_new_client_is_reset_at_once(bool socks, CancellationToken cancellationToken)
    {
        const int Bound = 8;
        var setup = Options(TimeSpan.FromSeconds(60), Bound);
        await using var proxy = StartProxy(setup, connectTimeout: TimeSpan.FromSeconds(60));
        var port = socks ? proxy.SocksEndPoint! : proxy.Forwards[0].Listen;
        var waiting = new List<Socket>();
        try
        {
            for (var i = 0; i < Bound; i++)
            {
                waiting.Add(await ConnectAsync(port, cancellationToken));
            }

            await WaitForAsync(() => proxy.PendingHandshakes == Bound, cancellationToken);
            await AssertResetAtOnceAsync(port, cancellationToken);

            Assert.That(setup.Options.Limits.Hits(ResourceLimit.ProxyHandshakes), Is.EqualTo(1));
            if (!socks)
            {
                // A forward client holds its slot until its session comes or the connect timeout passes.
                return;
            }

            // A slot that frees up is taken by the next client, and those waiting are untouched.
            waiting[0].Dispose();
            await WaitForAsync(() => proxy.PendingHandshakes == Bound - 1, cancellationToken);
            waiting[0] = await ConnectAsync(port, cancellationToken);
            await WaitForAsync(() => proxy.PendingHandshakes == Bound, cancellationToken);
            Assert.Multiple(() =>
            {
                Assert.That(setup.Options.Limits.Hits(ResourceLimit.ProxyHandshakes), Is.EqualTo(1));
                Assert.That(waiting.Select(s => s.Poll(0, SelectMode.SelectRead)), Is.All.False, "no waiting client was closed");
            });
        }
        finally
        {
            waiting.ForEach(s => s.Dispose());
        }
    }

    [Test]
    public async Task Many_silent_SOCKS_clients_cost_no_thread_while_they_wait(CancellationToken cancellationToken)
    {
        const int Clients = 200;
        await using var proxy = StartProxy(Options(TimeSpan.FromSeconds(5), maxHandshakes: 256), connectTimeout: null);
        var threadsBefore = Process.GetCurrentProcess().Threads.Count;
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                clients.Add(await ConnectAsync(proxy.SocksEndPoint!, cancellationToken));
            }

            await WaitForAsync(() => proxy.PendingHandshakes == Clients, cancellationToken);

            // A thread per client would add 200; the thread pool's own variation is a few.
            Assert.That(Process.GetCurrentProcess().Threads.Count - threadsBefore, Is.LessThan(Clients / 4), "threads added while they wait");
            foreach (var client in clients)
            {
                await WaitClosedAsync(client, cancellationToken);
            }

            await WaitForAsync(() => proxy.PendingHandshakes == 0, cancellationToken);
        }
        finally
        {
            clients.ForEach(s => s.Dispose());
        }
    }

    private static (MultipathOptions Options, ProxyLimits Limits) Options(TimeSpan handshakeTimeout, int maxHandshakes) =>
        (new MultipathOptions { Registry = EngineTestKit.LoadLibrary() }, new ProxyLimits { HandshakeTimeout = handshakeTimeout, MaxHandshakes = maxHandshakes });

    /// <summary>A local proxy with a SOCKS port and a forward port, whose only path leads to a port nobody listens on.</summary>
    private static LocalProxy StartProxy((MultipathOptions Options, ProxyLimits Limits) setup, TimeSpan? connectTimeout)
    {
        var proxy = new LocalProxy(
            [new MultipathPath(new IPEndPoint(IPAddress.Loopback, LegacyServer.UnusedPort()))],
            new IPEndPoint(IPAddress.Loopback, 0),
            [new ForwardRule(new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.Loopback, 9))],
            setup.Options,
            new TestLoggerFactory(Microsoft.Extensions.Logging.LogLevel.Error),
            connectTimeout,
            setup.Limits);
        proxy.Start();
        return proxy;
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects and waits for the proxy to close the connection; the reset may come so soon that connecting itself reports it.</summary>
    private static async Task AssertResetAtOnceAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return;
        }

        await WaitClosedAsync(socket, cancellationToken);
    }

    private static async Task TrickleAsync(Socket socket, byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var b in bytes)
            {
                await socket.SendAsync(new[] { b }, SocketFlags.None, cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            // Dropped, as it should be.
        }
    }

    /// <summary>Waits (60 s at most) until the proxy closed the connection, with a FIN or a reset.</summary>
    private static async Task WaitClosedAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        var buffer = new byte[64];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token) > 0)
            {
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(20, limit.Token);
        }
    }
}
