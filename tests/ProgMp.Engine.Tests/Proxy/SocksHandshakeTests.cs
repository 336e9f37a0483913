using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ProgMp.Engine.Tests.Proxy;

/// <summary>The local proxy's SOCKS5 port against well-formed and malformed clients, with a real remote proxy behind it.</summary>
[CancelAfter(20_000)]
public class SocksHandshakeTests
{
    private static readonly byte[] s_greeting = [5, 1, 0];
    private static readonly byte[] s_methodChosen = [5, 0];

    private ProxyPair _pair = null!;
    private LegacyServer _echo = null!;
    private LegacyServer? _echo6;
    private LegacyServer _forbidden = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _echo = LegacyServer.Echo(IPAddress.Loopback);
        _forbidden = LegacyServer.Echo(IPAddress.Parse("127.0.0.2"));
        if (Socket.OSSupportsIPv6)
        {
            _echo6 = LegacyServer.Echo(IPAddress.IPv6Loopback);
        }

        _pair = await ProxyPair.StartAsync(["127.0.0.1", "::1"], [], timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _pair.DisposeAsync();
        await _echo.DisposeAsync();
        await _forbidden.DisposeAsync();
        if (_echo6 is not null)
        {
            await _echo6.DisposeAsync();
        }
    }

    [TestCase(new byte[] { 4, 1, 0 }, TestName = "A SOCKS4 greeting is answered with no acceptable methods")]
    [TestCase(new byte[] { 5, 1, 2 }, TestName = "A greeting offering only username and password is answered with no acceptable methods")]
    [TestCase(new byte[] { 5, 0 }, TestName = "A greeting offering no method at all is answered with no acceptable methods")]
    public async Task A_refused_greeting_gets_FF_and_a_FIN(byte[] greeting, CancellationToken cancellationToken)
    {
        var answer = await ExchangeRawAsync(greeting, cancellationToken);
        Assert.That(answer, Is.EqualTo(new byte[] { 5, 0xFF }));
    }

    [TestCase((byte)2, TestName = "BIND is answered with command not supported")]
    [TestCase((byte)3, TestName = "UDP ASSOCIATE is answered with command not supported")]
    [TestCase((byte)9, TestName = "An unknown command is answered with command not supported")]
    public async Task Only_CONNECT_is_supported(byte command, CancellationToken cancellationToken)
    {
        var answer = await ExchangeRawAsync([.. s_greeting, .. SocksClient.Request(_echo.EndPoint, command)], cancellationToken);
        Assert.That(answer, Is.EqualTo(AfterMethod(0x07)));
    }

    [Test]
    public async Task An_unknown_address_type_is_answered_with_address_type_not_supported(CancellationToken cancellationToken)
    {
        var answer = await ExchangeRawAsync([.. s_greeting, 5, 1, 0, 7, 1, 2, 3, 4, 0, 80], cancellationToken);
        Assert.That(answer, Is.EqualTo(AfterMethod(0x08)));
    }

    [Test]
    public async Task A_request_of_another_version_is_answered_with_general_failure(CancellationToken cancellationToken)
    {
        var answer = await ExchangeRawAsync([.. s_greeting, 4, 1, 0, 1, 127, 0, 0, 1, 0, 80], cancellationToken);
        Assert.That(answer, Is.EqualTo(AfterMethod(0x01)));
    }

    [Test]
    public async Task Port_zero_is_not_allowed(CancellationToken cancellationToken)
    {
        var answer = await ExchangeRawAsync([.. s_greeting, .. SocksClient.Request(new IPEndPoint(IPAddress.Loopback, 0))], cancellationToken);
        Assert.That(answer, Is.EqualTo(AfterMethod(0x02)));
    }

    [Test]
    public async Task A_client_that_stops_in_the_middle_of_its_request_is_closed_quietly(CancellationToken cancellationToken)
    {
        var answer = await ExchangeRawAsync([.. s_greeting, 5, 1, 0, 1, 127], cancellationToken);
        Assert.That(answer, Is.EqualTo(s_methodChosen));

        // The proxy still serves the next client.
        await AssertEchoesAsync(_echo.EndPoint, cancellationToken);
    }

    [Test]
    public async Task An_IPv4_destination_is_connected(CancellationToken cancellationToken) =>
        await AssertEchoesAsync(_echo.EndPoint, cancellationToken);

    [Test]
    public async Task An_IPv6_destination_is_connected(CancellationToken cancellationToken)
    {
        if (_echo6 is null)
        {
            Assert.Ignore("This machine has no IPv6.");
        }

        await AssertEchoesAsync(_echo6.EndPoint, cancellationToken);
    }

    [Test]
    public async Task A_domain_name_is_resolved_by_the_remote_proxy(CancellationToken cancellationToken) =>
        await AssertEchoesAsync(new DnsEndPoint("localhost", _echo.EndPoint.Port), cancellationToken);

    [Test]
    public async Task An_IP_literal_sent_as_a_domain_name_is_connected_as_an_address(CancellationToken cancellationToken) =>
        await AssertEchoesAsync(new DnsEndPoint("127.0.0.1", _echo.EndPoint.Port), cancellationToken);

    [Test]
    public async Task Data_the_client_sends_with_its_request_is_relayed_after_the_reply(CancellationToken cancellationToken)
    {
        var payload = Encoding.ASCII.GetBytes("sent before the reply");
        var answer = await ExchangeRawAsync([.. s_greeting, .. SocksClient.Request(_echo.EndPoint), .. payload], cancellationToken);
        Assert.That(answer, Is.EqualTo((byte[])[.. s_methodChosen, .. Reply(0x00), .. payload]));
    }

    [Test]
    public async Task A_destination_outside_the_allow_list_is_not_allowed_and_never_connected(CancellationToken cancellationToken)
    {
        var (reply, socket) = await SocksClient.ConnectAsync(_pair.Socks, _forbidden.EndPoint, cancellationToken);
        socket?.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(reply, Is.EqualTo(0x02));
            Assert.That(_forbidden.Accepted, Is.Zero);
        });
    }

    [Test]
    public async Task A_name_that_resolves_outside_the_allow_list_is_not_allowed(CancellationToken cancellationToken)
    {
        // 127.0.0.2 is loopback, but this pair allows only 127.0.0.1 and ::1.
        var (reply, socket) = await SocksClient.ConnectAsync(_pair.Socks, new DnsEndPoint("127.0.0.2", _forbidden.EndPoint.Port), cancellationToken);
        socket?.Dispose();
        Assert.That(reply, Is.EqualTo(0x02));
        Assert.That(_forbidden.Accepted, Is.Zero);
    }

    [Test]
    public async Task A_destination_that_refuses_gets_connection_refused(CancellationToken cancellationToken)
    {
        var (reply, socket) = await SocksClient.ConnectAsync(_pair.Socks, new IPEndPoint(IPAddress.Loopback, LegacyServer.UnusedPort()), cancellationToken);
        socket?.Dispose();
        Assert.That(reply, Is.EqualTo(0x05));
    }

    [Test]
    public async Task A_name_that_does_not_resolve_gets_host_unreachable(CancellationToken cancellationToken)
    {
        var (reply, socket) = await SocksClient.ConnectAsync(_pair.Socks, new DnsEndPoint("no-such-host.invalid", 80), cancellationToken);
        socket?.Dispose();
        Assert.That(reply, Is.EqualTo(0x04));
    }

    [Test]
    public async Task A_name_the_wire_cannot_carry_gets_host_unreachable(CancellationToken cancellationToken)
    {
        var (reply, socket) = await SocksClient.ConnectAsync(_pair.Socks, new DnsEndPoint("a..b", 80), cancellationToken);
        socket?.Dispose();
        Assert.That(reply, Is.EqualTo(0x04));
    }

    private async Task AssertEchoesAsync(EndPoint destination, CancellationToken cancellationToken)
    {
        var (reply, socket) = await SocksClient.ConnectAsync(_pair.Socks, destination, cancellationToken);
        Assert.That(reply, Is.Zero);
        using (socket)
        {
            var payload = Encoding.ASCII.GetBytes("hello through " + destination);
            await socket!.SendAsync(payload, SocketFlags.None, cancellationToken);
            socket.Shutdown(SocketShutdown.Send);
            Assert.That(await SocksClient.ReceiveToEndAsync(socket, cancellationToken), Is.EqualTo(payload));
        }
    }

    /// <summary>Sends <paramref name="bytes"/> to the SOCKS port and returns everything it answers until it closes.</summary>
    private async Task<byte[]> ExchangeRawAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_pair.Socks, cancellationToken);
        await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
        socket.Shutdown(SocketShutdown.Send);
        return await SocksClient.ReceiveToEndAsync(socket, cancellationToken);
    }

    private static byte[] Reply(byte code) => [5, code, 0, 1, 0, 0, 0, 0, 0, 0];

    /// <summary>The method choice, then the reply with <paramref name="code"/>: what a refused request reads.</summary>
    private static byte[] AfterMethod(byte code) => [.. s_methodChosen, .. Reply(code)];
}
