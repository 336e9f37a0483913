using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ProgMp.Benchmarks.Tests.Support;

namespace ProgMp.Benchmarks.Tests;

/// <summary>
/// The namespace benchmark's plaintext host (benchmarks/ProgMp.Proxy.PlaintextHost), run as
/// processes on loopback as the script runs them in the namespaces: it must carry a connection
/// through the real proxy pair, stop cleanly, and refuse wrong arguments the way the command does.
/// </summary>
[CancelAfter(120_000)]
public partial class PlaintextHostTests
{
    private static readonly TimeSpan s_ready = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_stop = TimeSpan.FromSeconds(20);

    [Test]
    public async Task The_pair_carries_a_connection_both_ways_and_each_host_stops_with_0_on_SIGTERM(CancellationToken cancellationToken)
    {
        using var echoListener = new TcpListener(IPAddress.Loopback, 0);
        echoListener.Start();
        var echoPort = ((IPEndPoint)echoListener.LocalEndpoint).Port;
        var echo = EchoOnceAsync(echoListener, cancellationToken);

        await using var remote = HostProcess.StartPlaintextHost(["remote", "--listen", "127.0.0.1:0"]);
        var remoteAddress = ListeningAddress().Match(await remote.WaitForLineAsync("listening on ", s_ready)).Groups["address"].Value;
        await using var local = HostProcess.StartPlaintextHost(["local", "--path", remoteAddress, "--path", remoteAddress, "--forward", $"127.0.0.1:0=127.0.0.1:{echoPort}"]);
        var forwardAddress = ListeningAddress().Match(await local.WaitForLineAsync("listening on forward ", s_ready)).Groups["address"].Value;

        var sent = new byte[256 * 1024];
        new Random(10).NextBytes(sent);
        var received = await RoundTripAsync(IPEndPoint.Parse(forwardAddress), sent, cancellationToken);
        await echo;
        var localCode = await local.StopAsync(s_stop);
        var remoteCode = await remote.StopAsync(s_stop);

        Assert.Multiple(() =>
        {
            Assert.That(received, Is.EqualTo(sent));
            Assert.That(localCode, Is.Zero);
            Assert.That(remoteCode, Is.Zero);
        });
    }

    [TestCase(new string[0], "expected 'local' or 'remote' first")]
    [TestCase(new[] { "remote" }, "remote needs --listen")]
    [TestCase(new[] { "remote", "--listen", "somewhere:7000" }, "--listen 'somewhere:7000'")]
    [TestCase(new[] { "remote", "--listen", "127.0.0.1:0", "--bogus", "x" }, "'--bogus'")]
    [TestCase(new[] { "local", "--path", "127.0.0.1:7000" }, "at least one --forward")]
    [TestCase(new[] { "local", "--path", "127.0.0.1:7000", "--forward", "127.0.0.1:0" }, "--forward '127.0.0.1:0'")]
    public async Task A_wrong_argument_is_one_line_and_exit_code_2(string[] arguments, string expected)
    {
        await using var host = HostProcess.StartPlaintextHost(arguments);
        var code = await host.WaitForExitAsync(s_stop);

        var problems = host.ErrorLines.Where(l => l.StartsWith("plaintext proxy host: ", StringComparison.Ordinal) && !l.Contains("for a benchmark's test bed only", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(problems, Has.Count.EqualTo(1));
            Assert.That(problems.Single(), Does.Contain(expected));
        });
    }

    /// <summary>Writes <paramref name="data"/> while reading what comes back, then half-closes and reads to the end.</summary>
    private static async Task<byte[]> RoundTripAsync(IPEndPoint endpoint, byte[] data, CancellationToken cancellationToken)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(endpoint, cancellationToken);
        var reading = ReadToEndAsync(client, cancellationToken);
        await client.SendAsync(data, SocketFlags.None, cancellationToken);
        client.Shutdown(SocketShutdown.Send);
        return await reading;
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var all = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            all.Write(buffer, 0, n);
        }

        return all.ToArray();
    }

    /// <summary>Accepts one connection and echoes it until its end, then ends its own direction.</summary>
    private static async Task EchoOnceAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        using var socket = await listener.AcceptSocketAsync(cancellationToken);
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, cancellationToken);
        }

        socket.Shutdown(SocketShutdown.Send);
    }

    [GeneratedRegex(@"listening on (forward )?(?<address>[0-9.]+:[0-9]+)")]
    private static partial Regex ListeningAddress();
}
