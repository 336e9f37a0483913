using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ProgMp.Proxy.Tests;

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

    // Each malformed request (after the greeting where there is one), and everything the proxy answers
    // before it closes the connection with a FIN: the method choice, the refusal, or nothing.
    private static IEnumerable<TestCaseData> MalformedRequests()
    {
        static TestCaseData Case(string name, byte[] sent, byte[] answer) => new TestCaseData(sent, answer).SetName(name);
        byte[] connect = [5, 1, 0];
        byte[] port80 = [0, 80];
        var longLabels = string.Join('.', Enumerable.Repeat(new string('a', 63), 4))[..255];

        yield return Case("A SOCKS4 greeting gets no acceptable methods", [4, 1, 0], [5, 0xFF]);
        yield return Case("A greeting with only username and password gets no acceptable methods", [5, 1, 2], [5, 0xFF]);
        yield return Case("A greeting with no method gets no acceptable methods", [5, 0], [5, 0xFF]);
        yield return Case("A greeting cut after its version gets nothing", [5], []);
        yield return Case("A greeting with fewer methods than it counts gets nothing", [5, 3, 0], []);
        yield return Case("A request of version 4 gets general failure", [.. s_greeting, 4, 1, 0, 1, 127, 0, 0, 1, .. port80], AfterMethod(0x01));
        yield return Case("BIND gets command not supported", [.. s_greeting, 5, 2, 0, 1, 127, 0, 0, 1, .. port80], AfterMethod(0x07));
        yield return Case("UDP ASSOCIATE gets command not supported", [.. s_greeting, 5, 3, 0, 1, 127, 0, 0, 1, .. port80], AfterMethod(0x07));
        yield return Case("An unknown command gets command not supported", [.. s_greeting, 5, 9, 0, 1, 127, 0, 0, 1, .. port80], AfterMethod(0x07));
        yield return Case("Address type 0 gets address type not supported", [.. s_greeting, .. connect, 0, 127, 0, 0, 1, .. port80], AfterMethod(0x08));
        yield return Case("Address type 7 gets address type not supported", [.. s_greeting, .. connect, 7, 1, 2, 3, 4, .. port80], AfterMethod(0x08));
        yield return Case("A request cut in its header gets only the method choice", [.. s_greeting, 5, 1], s_methodChosen);
        yield return Case("A request cut in its IPv4 address gets only the method choice", [.. s_greeting, .. connect, 1, 127], s_methodChosen);
        yield return Case("A request cut in its IPv6 address gets only the method choice", [.. s_greeting, .. connect, 4, 0, 0, 0, 0, 0, 0], s_methodChosen);
        yield return Case("A request cut before its port gets only the method choice", [.. s_greeting, .. connect, 1, 127, 0, 0, 1, 0], s_methodChosen);
        yield return Case("A request cut before its name's length gets only the method choice", [.. s_greeting, .. connect, 3], s_methodChosen);
        yield return Case("A name shorter than its length gets only the method choice", [.. s_greeting, .. connect, 3, 10, (byte)'a', (byte)'b', (byte)'c'], s_methodChosen);
        yield return Case("An empty name gets host unreachable", [.. s_greeting, .. connect, 3, 0, .. port80], AfterMethod(0x04));
        yield return Case("A name with a space gets host unreachable", [.. s_greeting, .. connect, .. Name("a b"), .. port80], AfterMethod(0x04));
        yield return Case("A name with a control byte gets host unreachable", [.. s_greeting, .. connect, .. Name("a\nb"), .. port80], AfterMethod(0x04));
        yield return Case("A name with a byte above ASCII gets host unreachable", [.. s_greeting, .. connect, 3, 2, (byte)'a', 0xC3, .. port80], AfterMethod(0x04));
        yield return Case("A name of 255 bytes in one label gets host unreachable", [.. s_greeting, .. connect, .. Name(new string('a', 255)), .. port80], AfterMethod(0x04));
        yield return Case("A name of 255 bytes in labels no host has gets host unreachable", [.. s_greeting, .. connect, .. Name(longLabels), .. port80], AfterMethod(0x04));
        yield return Case("Port 0 is not allowed", [.. s_greeting, .. SocksClient.Request(new IPEndPoint(IPAddress.Loopback, 0))], AfterMethod(0x02));
        yield return Case("Port 0 with a name is not allowed", [.. s_greeting, .. SocksClient.Request(new DnsEndPoint("localhost", 0))], AfterMethod(0x02));
        yield return Case("The IPv4 address 0.0.0.0 is not allowed", [.. s_greeting, .. SocksClient.Request(new IPEndPoint(IPAddress.Any, 80))], AfterMethod(0x02));
        yield return Case("The IPv6 address :: is not allowed", [.. s_greeting, .. SocksClient.Request(new IPEndPoint(IPAddress.IPv6Any, 80))], AfterMethod(0x02));
    }

    [TestCaseSource(nameof(MalformedRequests))]
    public async Task A_malformed_request_is_refused_and_its_connection_closed(byte[] sent, byte[] answer, CancellationToken cancellationToken)
    {
        Assert.That(await ExchangeRawAsync(sent, cancellationToken), Is.EqualTo(answer), "what the proxy answered before its FIN");

        // Nothing of the connection stays behind in the proxy.
        while (_pair.Local.PendingHandshakes != 0)
        {
            await Task.Delay(20, cancellationToken);
        }
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

    /// <summary>A domain-name address: type 3, the length, the bytes.</summary>
    private static byte[] Name(string name) => [3, (byte)name.Length, .. Encoding.ASCII.GetBytes(name)];

    private static byte[] Reply(byte code) => [5, code, 0, 1, 0, 0, 0, 0, 0, 0];

    /// <summary>The method choice, then the reply with <paramref name="code"/>: what a refused request reads.</summary>
    private static byte[] AfterMethod(byte code) => [.. s_methodChosen, .. Reply(code)];
}
