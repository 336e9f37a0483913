using System.Net;
using ProgMp.Cli.Tests.Support;
using ProgMp.Proxy.Tests;

namespace ProgMp.Cli.Tests.Proxy;

/// <summary>
/// The remote proxy's own ports asked for as destinations, every part a real process: its control
/// port, which only the command knows of, and its multipath port, both inside the allow list.
/// </summary>
[CancelAfter(120_000)]
public class ProxyOwnPortsProcessTests
{
    [Test]
    public async Task The_remote_proxys_control_port_and_multipath_port_are_never_destinations(CancellationToken cancellationToken)
    {
        using var directory = new TemporaryDirectory();
        var token = CtlFixture.WriteTokenFile(directory, "own-ports-" + Guid.NewGuid().ToString("N"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var echo = LegacyServer.Echo(IPAddress.Loopback);
        await using var remote = await RunningProgmp.StartAsync(
            ["proxy", "remote", "--insecure-plaintext", "--listen", "127.0.0.1:0", "--allow", "127.0.0.0/8", "--control", "127.0.0.1:0", "--token-file", token],
            cancellationToken);
        var listening = ReadyLines.ProxyEndPoints(remote.ReadyLine)[0];
        var control = new Uri(ReadyLines.ControlUrl(remote.ReadyLine)!);
        await using var local = await RunningProgmp.StartAsync(["proxy", "local", "--insecure-plaintext", "--path", listening.ToString(), "--socks", "127.0.0.1:0"], cancellationToken);
        var socks = ReadyLines.ProxyEndPoints(local.ReadyLine)[0];
        await local.WaitForLogAsync(" established (", 1, cancellationToken);

        var controlByAddress = await ReplyAsync(socks, new IPEndPoint(IPAddress.Loopback, control.Port), cancellationToken);
        var controlByName = await ReplyAsync(socks, new DnsEndPoint("localhost", control.Port), cancellationToken);
        var multipath = await ReplyAsync(socks, listening, cancellationToken);
        var other = await ReplyAsync(socks, echo.EndPoint, cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(controlByAddress, Is.EqualTo(0x02), "the control port");
            Assert.That(controlByName, Is.EqualTo(0x02), "the control port by name");
            Assert.That(multipath, Is.EqualTo(0x02), "the multipath port");
            Assert.That(other, Is.Zero, "another port of the same address");
        });
    }

    private static async Task<byte> ReplyAsync(IPEndPoint socks, EndPoint destination, CancellationToken cancellationToken)
    {
        var (reply, socket) = await SocksClient.ConnectAsync(socks, destination, cancellationToken);
        socket?.Dispose();
        return reply;
    }
}
