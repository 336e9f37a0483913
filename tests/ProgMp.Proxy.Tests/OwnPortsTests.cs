using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using ProgMp.Proxy;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Proxy.Tests;

/// <summary>
/// A remote proxy that listens on every address (0.0.0.0) and allows every IPv4 destination still
/// refuses its own ports, by address and by name, as it refuses a denied address; other ports of the
/// same addresses stay reachable.
/// </summary>
[CancelAfter(60_000)]
public class OwnPortsTests
{
    private RemoteProxy _remote = null!;
    private LocalProxy _local = null!;
    private LegacyServer _echo = null!;
    private LegacyServer _ownToo = null!;
    private int _listenPort;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var logs = new TestLoggerFactory(Microsoft.Extensions.Logging.LogLevel.Warning);
        _echo = LegacyServer.Echo(IPAddress.Loopback);

        // Stands for another port the remote's process listens on, such as its control endpoint.
        _ownToo = LegacyServer.Echo(IPAddress.Loopback);
        _remote = new RemoteProxy([new IPEndPoint(IPAddress.Any, 0)], AllowList.Parse(["0.0.0.0/0"]), EngineTestKit.Options(), logs, TimeSpan.FromSeconds(5));
        _remote.Start();
        _remote.OwnEndPoints.Add(_ownToo.EndPoint);
        _listenPort = _remote.LocalEndPoints[0].Port;
        _local = new LocalProxy([new MultipathPath(new IPEndPoint(IPAddress.Loopback, _listenPort))], new IPEndPoint(IPAddress.Loopback, 0), [], EngineTestKit.Options(), logs);
        _local.Start();
        await _local.WaitForSessionAsync(timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _local.DisposeAsync();
        await _remote.DisposeAsync();
        await _echo.DisposeAsync();
        await _ownToo.DisposeAsync();
    }

    [Test]
    public async Task The_multipath_port_on_loopback_is_not_allowed(CancellationToken cancellationToken) =>
        Assert.That(await ReplyAsync(new IPEndPoint(IPAddress.Loopback, _listenPort), cancellationToken), Is.EqualTo(0x02));

    [Test]
    public async Task The_multipath_port_on_another_loopback_address_is_not_allowed(CancellationToken cancellationToken) =>
        Assert.That(await ReplyAsync(new IPEndPoint(IPAddress.Parse("127.0.0.53"), _listenPort), cancellationToken), Is.EqualTo(0x02));

    [Test]
    public async Task The_multipath_port_by_name_is_not_allowed(CancellationToken cancellationToken) =>
        Assert.That(await ReplyAsync(new DnsEndPoint("localhost", _listenPort), cancellationToken), Is.EqualTo(0x02));

    [Test]
    public async Task The_multipath_port_on_every_interface_address_is_not_allowed(CancellationToken cancellationToken)
    {
        var addresses = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork)
            .ToList();
        foreach (var address in addresses)
        {
            Assert.That(await ReplyAsync(new IPEndPoint(address, _listenPort), cancellationToken), Is.EqualTo(0x02), address.ToString);
        }
    }

    [Test]
    public async Task Another_port_the_proxy_listens_on_is_not_allowed_and_never_connected(CancellationToken cancellationToken)
    {
        Assert.That(await ReplyAsync(_ownToo.EndPoint, cancellationToken), Is.EqualTo(0x02));
        Assert.That(_ownToo.Accepted, Is.Zero);
    }

    [Test]
    public async Task Other_ports_of_the_same_address_are_reachable(CancellationToken cancellationToken) =>
        Assert.That(await ReplyAsync(_echo.EndPoint, cancellationToken), Is.Zero);

    private async Task<byte> ReplyAsync(EndPoint destination, CancellationToken cancellationToken)
    {
        var (reply, socket) = await SocksClient.ConnectAsync(_local.SocksEndPoint!, destination, cancellationToken);
        socket?.Dispose();
        return reply;
    }
}
