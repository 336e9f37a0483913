using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using ProgMp.Proxy;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Proxy.Tests;

/// <summary>TCP's endings cross the proxy pair: a FIN closes one direction only, a reset aborts both, either side first.</summary>
[CancelAfter(20_000)]
public class TcpRelayTests
{
    private static readonly byte[] s_hello = Encoding.ASCII.GetBytes("hello from the server");
    private static readonly byte[] s_late = Encoding.ASCII.GetBytes("the client still sends after the server's FIN");

    [Test]
    public async Task The_servers_FIN_reaches_the_client_as_EOF_while_the_client_can_still_send(CancellationToken cancellationToken)
    {
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new LegacyServer(IPAddress.Loopback, async (socket, ct) =>
        {
            await socket.SendAsync(s_hello, SocketFlags.None, ct);
            socket.Shutdown(SocketShutdown.Send);
            received.SetResult(await SocksClient.ReceiveToEndAsync(socket, ct));
        });
        await using var pair = await ProxyPair.StartAsync(["127.0.0.1"], [], cancellationToken);
        var (reply, client) = await SocksClient.ConnectAsync(pair.Socks, server.EndPoint, cancellationToken);
        Assert.That(reply, Is.Zero);
        using (client)
        {
            Assert.That(await SocksClient.ReceiveToEndAsync(client!, cancellationToken), Is.EqualTo(s_hello));
            await client!.SendAsync(s_late, SocketFlags.None, cancellationToken);
            client.Shutdown(SocketShutdown.Send);
            Assert.That(await received.Task.WaitAsync(cancellationToken), Is.EqualTo(s_late));
        }
    }

    [Test]
    public async Task The_clients_FIN_reaches_the_server_as_EOF_while_the_server_can_still_send(CancellationToken cancellationToken)
    {
        await using var server = new LegacyServer(IPAddress.Loopback, async (socket, ct) =>
        {
            var request = await SocksClient.ReceiveToEndAsync(socket, ct);
            await socket.SendAsync(Encoding.ASCII.GetBytes($"got {request.Length} bytes"), SocketFlags.None, ct);
            socket.Shutdown(SocketShutdown.Send);
        });
        await using var pair = await ProxyPair.StartAsync(["127.0.0.1"], [(IPAddress.Loopback, server.EndPoint)], cancellationToken);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(pair.Local.Forwards[0].Listen, cancellationToken);
        await client.SendAsync(new byte[12345], SocketFlags.None, cancellationToken);
        client.Shutdown(SocketShutdown.Send);
        Assert.That(Encoding.ASCII.GetString(await SocksClient.ReceiveToEndAsync(client, cancellationToken)), Is.EqualTo("got 12345 bytes"));
    }

    [Test]
    public async Task The_servers_reset_reaches_the_client_as_a_reset(CancellationToken cancellationToken)
    {
        await using var server = new LegacyServer(IPAddress.Loopback, async (socket, ct) =>
        {
            await socket.SendAsync(s_hello, SocketFlags.None, ct);
            await Task.Delay(50, ct);
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        });
        await using var pair = await ProxyPair.StartAsync(["127.0.0.1"], [], cancellationToken);
        var (reply, client) = await SocksClient.ConnectAsync(pair.Socks, server.EndPoint, cancellationToken);
        Assert.That(reply, Is.Zero);
        using (client)
        {
            var error = Assert.ThrowsAsync<SocketException>(async () => await SocksClient.ReceiveToEndAsync(client!, cancellationToken));
            Assert.That(error!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionReset));
        }
    }

    [Test]
    public async Task The_clients_reset_reaches_the_server_as_a_reset(CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource<SocketError>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new LegacyServer(IPAddress.Loopback, async (socket, ct) =>
        {
            await socket.SendAsync(s_hello, SocketFlags.None, ct);
            try
            {
                await SocksClient.ReceiveToEndAsync(socket, ct);
                seen.SetResult(SocketError.Success);
            }
            catch (SocketException e)
            {
                seen.SetResult(e.SocketErrorCode);
            }
        });
        await using var pair = await ProxyPair.StartAsync(["127.0.0.1"], [], cancellationToken);
        var (reply, client) = await SocksClient.ConnectAsync(pair.Socks, server.EndPoint, cancellationToken);
        Assert.That(reply, Is.Zero);
        Assert.That(await SocksClient.ReceiveAsync(client!, s_hello.Length, cancellationToken), Is.EqualTo(s_hello));
        client!.LingerState = new LingerOption(true, 0);
        client.Close();
        Assert.That(await seen.Task.WaitAsync(cancellationToken), Is.EqualTo(SocketError.ConnectionReset));
    }

    [Test]
    public async Task A_forward_port_whose_destination_refuses_resets_its_client(CancellationToken cancellationToken)
    {
        var refusing = new IPEndPoint(IPAddress.Loopback, LegacyServer.UnusedPort());
        await using var pair = await ProxyPair.StartAsync(["127.0.0.1"], [(IPAddress.Loopback, refusing)], cancellationToken);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(pair.Local.Forwards[0].Listen, cancellationToken);
        var error = Assert.ThrowsAsync<SocketException>(async () => await SocksClient.ReceiveToEndAsync(client, cancellationToken));
        Assert.That(error!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionReset));
    }

    [Test]
    public async Task A_forward_ports_client_may_send_before_the_remote_proxy_has_connected(CancellationToken cancellationToken)
    {
        await using var echo = LegacyServer.Echo(IPAddress.Loopback);
        await using var pair = await ProxyPair.StartAsync(["127.0.0.1"], [(IPAddress.Loopback, new DnsEndPoint("localhost", echo.EndPoint.Port))], cancellationToken);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(pair.Local.Forwards[0].Listen, cancellationToken);
        await client.SendAsync(s_late, SocketFlags.None, cancellationToken);
        client.Shutdown(SocketShutdown.Send);
        Assert.That(await SocksClient.ReceiveToEndAsync(client, cancellationToken), Is.EqualTo(s_late));
    }

    [Test]
    public async Task A_remote_that_never_answers_gives_a_SOCKS_timeout_and_resets_a_forward_client(CancellationToken cancellationToken)
    {
        // A listener that accepts streams and says nothing stands for a remote proxy whose session went silent.
        await using var silent = EngineTestKit.StartListener(EngineTestKit.Options());
        var held = new List<MultipathStream>();
        var accepting = Task.Run(async () =>
        {
            var session = await silent.AcceptSessionAsync(cancellationToken);
            while (true)
            {
                held.Add(await session.AcceptStreamAsync(cancellationToken));
            }
        }, cancellationToken);
        var destination = new IPEndPoint(IPAddress.Loopback, 9);
        await using var local = new LocalProxy(
            [new MultipathPath(silent.LocalEndPoints[0])],
            new IPEndPoint(IPAddress.Loopback, 0),
            [new ForwardRule(new IPEndPoint(IPAddress.Loopback, 0), destination)],
            EngineTestKit.Options(),
            new TestLoggerFactory(LogLevel.Warning),
            connectTimeout: TimeSpan.FromSeconds(1));
        local.Start();

        var (reply, socket) = await SocksClient.ConnectAsync(local.SocksEndPoint!, destination, cancellationToken);
        socket?.Dispose();
        Assert.That(reply, Is.EqualTo(0x06), "TTL expired: the SOCKS word for a timeout");

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(local.Forwards[0].Listen, cancellationToken);
        var error = Assert.ThrowsAsync<SocketException>(async () => await SocksClient.ReceiveToEndAsync(client, cancellationToken));
        Assert.That(error!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionReset));
    }

    [Test]
    public async Task Stopping_the_local_proxy_resets_its_open_connections(CancellationToken cancellationToken)
    {
        await using var echo = LegacyServer.Echo(IPAddress.Loopback);
        var pair = await ProxyPair.StartAsync(["127.0.0.1"], [], cancellationToken);
        Socket? client;
        try
        {
            (_, client) = await SocksClient.ConnectAsync(pair.Socks, echo.EndPoint, cancellationToken);
        }
        finally
        {
            await pair.DisposeAsync();
        }

        using (client)
        {
            var error = Assert.ThrowsAsync<SocketException>(async () => await SocksClient.ReceiveToEndAsync(client!, cancellationToken));
            Assert.That(error!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionReset));
        }
    }
}
