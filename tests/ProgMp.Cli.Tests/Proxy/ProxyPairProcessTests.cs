using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ProgMp.Cli.Tests.Support;
using ProgMp.Proxy.Tests;

namespace ProgMp.Cli.Tests.Proxy;

/// <summary>
/// The proxy pair as two real <c>progmp</c> processes on loopback: a remote proxy listening on two
/// ports and a local proxy with a path to each, a SOCKS5 port and forward ports, in front of plain
/// TCP servers this test runs. The proxies authenticate each other with keys made by <c>progmp key create</c>.
/// </summary>
[CancelAfter(90_000)]
public class ProxyPairProcessTests
{
    private const int BigTransfer = 32 * 1024 * 1024;
    private static readonly byte[] s_hello = Encoding.ASCII.GetBytes("hello from the legacy server");
    private static readonly byte[] s_serverData = SocketTransfer.Random(BigTransfer, 7);

    private readonly ConcurrentQueue<byte[]> _sinkHashes = new();
    private readonly ConcurrentQueue<byte[]> _finFirstReceived = new();
    private LegacyServer _sourceSink = null!;
    private LegacyServer _echo = null!;
    private LegacyServer _forbidden = null!;
    private LegacyServer _finFirst = null!;
    private LegacyServer _resetting = null!;
    private ProxyKeys _keys = null!;
    private RunningProgmp _remote = null!;
    private RunningProgmp _local = null!;
    private IPEndPoint _socks = null!;
    private IPEndPoint _forwardToSourceSink = null!;
    private IPEndPoint _forwardToEcho = null!;
    private IPEndPoint _forwardToRefusing = null!;
    private int _refusingPort;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        _sourceSink = new LegacyServer(IPAddress.Loopback, SourceSinkAsync);
        _echo = LegacyServer.Echo(IPAddress.Loopback);
        _forbidden = LegacyServer.Echo(IPAddress.Parse("127.0.0.2"));
        _finFirst = new LegacyServer(IPAddress.Loopback, async (socket, ct) =>
        {
            await socket.SendAsync(s_hello, SocketFlags.None, ct);
            socket.Shutdown(SocketShutdown.Send);
            _finFirstReceived.Enqueue(await SocksClient.ReceiveToEndAsync(socket, ct));
        });
        _resetting = new LegacyServer(IPAddress.Loopback, async (socket, ct) =>
        {
            await socket.SendAsync(s_hello, SocketFlags.None, ct);
            await Task.Delay(100, ct);
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        });
        _refusingPort = LegacyServer.UnusedPort();

        _keys = await ProxyKeys.CreateAsync();
        _remote = await RunningProgmp.StartAsync(["proxy", "remote", "--listen", "127.0.0.1:0", "--listen", "127.0.0.1:0", "--allow", "127.0.0.1", .. _keys.Remote], timeout.Token);
        var listening = ReadyLines.ProxyEndPoints(_remote.ReadyLine);
        Assert.That(listening, Has.Count.EqualTo(2), _remote.ToString);
        _local = await RunningProgmp.StartAsync(
            [
                "proxy", "local",
                "--path", $"127.0.0.1@{listening[0]}",
                "--path", listening[1].ToString(),
                "--socks", "127.0.0.1:0",
                "--forward", $"127.0.0.1:0=127.0.0.1:{_sourceSink.EndPoint.Port}",
                "--forward", $"127.0.0.1:0=localhost:{_echo.EndPoint.Port}",
                "--forward", $"127.0.0.1:0=127.0.0.1:{_refusingPort}",
                .. _keys.Local,
            ],
            timeout.Token);
        var ports = ReadyLines.ProxyEndPoints(_local.ReadyLine);
        Assert.That(ports, Has.Count.EqualTo(4), _local.ToString);
        (_socks, _forwardToSourceSink, _forwardToEcho, _forwardToRefusing) = (ports[0], ports[1], ports[2], ports[3]);

        // Both subflows up before anything is measured: the session is multipath from the start.
        await _local.WaitForLogAsync(" established (", 2, timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        TestContext.Out.WriteLine(_local.ToString());
        TestContext.Out.WriteLine(_remote.ToString());
        await _local.DisposeAsync();
        await _remote.DisposeAsync();

        await _sourceSink.DisposeAsync();
        await _echo.DisposeAsync();
        await _forbidden.DisposeAsync();
        await _finFirst.DisposeAsync();
        await _resetting.DisposeAsync();
        _keys.Dispose();
    }

    [Test]
    public async Task Thirty_two_MiB_each_way_at_once_through_SOCKS5_and_through_a_forward_port_arrive_whole(CancellationToken cancellationToken)
    {
        var throughSocks = SocketTransfer.Random(BigTransfer, 1);
        var throughForward = SocketTransfer.Random(BigTransfer, 2);
        var sinkedBefore = _sinkHashes.Count;
        var (reply, socksClient) = await SocksClient.ConnectAsync(_socks, _sourceSink.EndPoint, cancellationToken);
        Assert.That(reply, Is.Zero);
        using var forwardClient = await SocketTransfer.ConnectAsync(_forwardToSourceSink, cancellationToken);
        using (socksClient)
        {
            var results = await Task.WhenAll(
                SocketTransfer.ExchangeAsync(socksClient!, throughSocks, cancellationToken),
                SocketTransfer.ExchangeAsync(forwardClient, throughForward, cancellationToken));
            var expected = SHA256.HashData(s_serverData);
            Assert.Multiple(() =>
            {
                Assert.That(results[0], Is.EqualTo(expected), "server to client through SOCKS");
                Assert.That(results[1], Is.EqualTo(expected), "server to client through the forward port");
            });

            // The server's FIN can reach the client before the client's last bytes reach the server.
            while (_sinkHashes.Count < sinkedBefore + 2)
            {
                await Task.Delay(10, cancellationToken);
            }

            Assert.Multiple(() =>
            {
                Assert.That(_sinkHashes, Has.Some.EqualTo(SHA256.HashData(throughSocks)), "client to server through SOCKS");
                Assert.That(_sinkHashes, Has.Some.EqualTo(SHA256.HashData(throughForward)), "client to server through the forward port");
            });
        }
    }

    [Test]
    public async Task Two_hundred_connections_at_once_each_arrive_whole(CancellationToken cancellationToken)
    {
        const int Connections = 200;
        var results = await Task.WhenAll(Enumerable.Range(0, Connections).Select(async i =>
        {
            var payload = SocketTransfer.Random(16 * 1024 + (i * 997), 100 + i);
            Socket? client;
            if (i % 2 == 0)
            {
                byte reply;
                (reply, client) = await SocksClient.ConnectAsync(_socks, _echo.EndPoint, cancellationToken);
                Assert.That(reply, Is.Zero, $"connection {i}");
            }
            else
            {
                client = await SocketTransfer.ConnectAsync(_forwardToEcho, cancellationToken);
            }

            using (client)
            {
                return (await SocketTransfer.ExchangeAsync(client!, payload, cancellationToken)).AsSpan().SequenceEqual(SHA256.HashData(payload));
            }
        }));
        Assert.That(results.Count(ok => ok), Is.EqualTo(Connections));
    }

    [Test]
    public void The_pair_authenticated_each_other_and_encrypts_its_subflows()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_remote.Error, Does.Contain($"Subflows: TLS 1.3 as {_keys.RemoteId}"), _remote.ToString);
            Assert.That(_remote.Error, Does.Contain($"client {_keys.LocalId} local authenticated"), _remote.ToString);
            Assert.That(_local.Error, Does.Contain($"Subflows: TLS 1.3 as {_keys.LocalId}, remote proxy {_keys.RemoteId}"), _local.ToString);
        });
    }

    [Test]
    public async Task A_destination_outside_allow_is_refused_and_nothing_connects_to_it(CancellationToken cancellationToken)
    {
        var (reply, socket) = await SocksClient.ConnectAsync(_socks, _forbidden.EndPoint, cancellationToken);
        socket?.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(reply, Is.EqualTo(0x02), "connection not allowed by ruleset");
            Assert.That(_forbidden.Accepted, Is.Zero);
        });
    }

    [Test]
    public async Task A_destination_that_refuses_gets_a_SOCKS_error_or_a_reset(CancellationToken cancellationToken)
    {
        var (reply, socket) = await SocksClient.ConnectAsync(_socks, new IPEndPoint(IPAddress.Loopback, _refusingPort), cancellationToken);
        socket?.Dispose();
        Assert.That(reply, Is.EqualTo(0x05), "connection refused");

        using var forwarded = await SocketTransfer.ConnectAsync(_forwardToRefusing, cancellationToken);
        var error = Assert.ThrowsAsync<SocketException>(async () => await SocksClient.ReceiveToEndAsync(forwarded, cancellationToken));
        Assert.That(error!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionReset));
    }

    [Test]
    public async Task The_servers_FIN_reaches_the_client_as_EOF_while_the_client_can_still_send(CancellationToken cancellationToken)
    {
        var late = Encoding.ASCII.GetBytes("sent after the server's FIN " + Guid.NewGuid());
        var (reply, client) = await SocksClient.ConnectAsync(_socks, _finFirst.EndPoint, cancellationToken);
        Assert.That(reply, Is.Zero);
        using (client)
        {
            Assert.That(await SocksClient.ReceiveToEndAsync(client!, cancellationToken), Is.EqualTo(s_hello));
            await client!.SendAsync(late, SocketFlags.None, cancellationToken);
            client.Shutdown(SocketShutdown.Send);
            while (!_finFirstReceived.Any(r => r.AsSpan().SequenceEqual(late)))
            {
                await Task.Delay(10, cancellationToken);
            }
        }
    }

    [Test]
    public async Task The_servers_reset_reaches_the_client_as_a_reset(CancellationToken cancellationToken)
    {
        var (reply, client) = await SocksClient.ConnectAsync(_socks, _resetting.EndPoint, cancellationToken);
        Assert.That(reply, Is.Zero);
        using (client)
        {
            Assert.That(await SocksClient.ReceiveAsync(client!, s_hello.Length, cancellationToken), Is.EqualTo(s_hello));
            var error = Assert.ThrowsAsync<SocketException>(async () => await SocksClient.ReceiveToEndAsync(client!, cancellationToken));
            Assert.That(error!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionReset));
        }
    }

    /// <summary>Sends its own data and reads the client's at the same time, then records the SHA-256 of what it read.</summary>
    private async Task SourceSinkAsync(Socket socket, CancellationToken cancellationToken)
    {
        var sending = SocketTransfer.SendAllAsync(socket, s_serverData, cancellationToken);
        _sinkHashes.Enqueue(await SocksClient.ReceiveHashAsync(socket, cancellationToken));
        await sending;
    }
}
