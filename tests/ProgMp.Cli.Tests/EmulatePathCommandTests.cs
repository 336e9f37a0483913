using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using ProgMp.Cli.Tests.Support;

namespace ProgMp.Cli.Tests;

/// <summary>
/// <c>progmp emulate-path</c> as a real process: wrong arguments, a relay carrying bytes end to end,
/// a scripted reset and restore, and a clean stop on a signal with the byte counters.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public class EmulatePathCommandTests
{
    [TestCase(new[] { "--listen", "nowhere", "--to", "127.0.0.1:9" }, "--listen: 'nowhere' is not ADDR:PORT")]
    [TestCase(new[] { "--listen", "localhost:9000", "--to", "127.0.0.1:9" }, "--listen: 'localhost' is not an IP address")]
    [TestCase(new[] { "--listen", "127.0.0.1:0", "--to", "127.0.0.1" }, "--to: '127.0.0.1' is not HOST:PORT")]
    [TestCase(new[] { "--listen", "127.0.0.1:0", "--to", "127.0.0.1:70000" }, "--to: '127.0.0.1:70000' is not HOST:PORT")]
    [TestCase(new[] { "--listen", "127.0.0.1:0" }, "Option '--to' is required")]
    [TestCase(new[] { "--listen", "127.0.0.1:0", "--to", "127.0.0.1:9", "--delay", "-5" }, "--delay must be 0 or more")]
    [TestCase(new[] { "--listen", "127.0.0.1:0", "--to", "127.0.0.1:9", "--delay", "soon" }, "--delay: 'soon' is not a number")]
    [TestCase(new[] { "--listen", "127.0.0.1:0", "--to", "127.0.0.1:9", "--delay", "1e300" }, "--delay must be at most 60000")]
    [TestCase(new[] { "--listen", "127.0.0.1:0", "--to", "127.0.0.1:9", "--rate", "0" }, "--rate must be more than 0")]
    [TestCase(new[] { "--listen", "127.0.0.1:0", "--to", "127.0.0.1:9", "--restore-at", "2" }, "--restore-at needs --fail-at")]
    [TestCase(new[] { "--listen", "127.0.0.1:0", "--to", "127.0.0.1:9", "--fail-at", "2", "--restore-at", "1" }, "--restore-at must come after --fail-at")]
    [TestCase(new[] { "--listen", "127.0.0.1:0", "--to", "127.0.0.1:9", "--fail-at", "1", "--fail-mode", "wobble" }, "--fail-mode: 'wobble' is not rst or blackhole")]
    [TestCase(new[] { "--listen", "127.0.0.1:0", "--to", "127.0.0.1:9", "--fail-mode", "rst" }, "--fail-mode needs --fail-at")]
    [TestCase(new[] { "--listen", "127.0.0.1:0", "--to", "no-such-host.invalid:80" }, "--to: cannot resolve 'no-such-host.invalid'")]
    public async Task A_wrong_argument_gets_a_one_line_reason_and_exit_code_2(string[] arguments, string expected)
    {
        var result = await ProgmpProcess.RunAsync(["emulate-path", .. arguments], timeout: TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString);
            Assert.That(result.Error, Does.StartWith("progmp: " + expected), result.ToString);
            Assert.That(result.Output + result.Error, Does.Not.Contain("   at ").And.Not.Contain("Exception"), result.ToString);
        });
    }

    [Test]
    public async Task Help_describes_every_option()
    {
        var result = await ProgmpProcess.RunAsync(["emulate-path", "--help"]);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
            foreach (var option in new[] { "--listen", "--to", "--delay <MS>", "--rate <MBIT>", "--fail-at <S>", "--restore-at <S>", "--fail-mode <rst|blackhole>" })
            {
                Assert.That(result.Output, Does.Contain(option), result.ToString);
            }
        });
    }

    [Test]
    public async Task Bytes_are_relayed_intact_and_the_counters_printed_when_terminated()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var echo = new EchoServer();
        await using var progmp = RunningProgmp.Start(["emulate-path", "--listen", "127.0.0.1:0", "--to", echo.EndPoint.ToString(), "--delay", "2", "--rate", "200"]);
        var relay = await ReadyLines.EmulatorEndPointAsync(progmp, cancel.Token);

        const int Size = 1024 * 1024;
        var data = new byte[Size];
        new Random(9).NextBytes(data);
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(relay, cancel.Token);
            var echoed = ReceiveToEndAsync(client, cancel.Token);
            await client.SendAsync(data, SocketFlags.None, cancel.Token);
            client.Shutdown(SocketShutdown.Send);
            var (count, hash) = await echoed;
            Assert.That(count, Is.EqualTo(Size));
            Assert.That(hash, Is.EqualTo(SHA256.HashData(data)));
        }

        await progmp.SignalAsync("TERM", cancel.Token);
        var exitCode = await progmp.WaitForExitAsync(cancel.Token);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(0), progmp.ToString);
            Assert.That(progmp.Output, Does.Contain($"Path emulator stopped: {Size} bytes to target, {Size} bytes to client, 1 connections accepted"), progmp.ToString);
        });
    }

    [Test]
    public async Task A_scripted_reset_resets_the_connection_and_the_restore_lets_new_ones_through()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var echo = new EchoServer();

        // SIGINT (Ctrl+C) where the test can make sure the process does not inherit it ignored; SIGTERM otherwise.
        var interrupt = RunningProgmp.CanResetInterrupt();
        await using var progmp = RunningProgmp.Start(
            ["emulate-path", "--listen", "127.0.0.1:0", "--to", echo.EndPoint.ToString(), "--fail-at", "1", "--restore-at", "2", "--fail-mode", "rst"],
            defaultInterrupt: interrupt);
        var relay = await ReadyLines.EmulatorEndPointAsync(progmp, cancel.Token);

        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            // Connected before or after the fault, the connection must end in a reset.
            var seen = "no reset";
            try
            {
                await client.ConnectAsync(relay, cancel.Token);
                await progmp.WaitForLineAsync(line => line.Contains("Path failed (Reset)", StringComparison.Ordinal), cancel.Token);
                await client.SendAsync(new byte[] { 1 }, SocketFlags.None, cancel.Token);
                var buffer = new byte[16];
                while (await client.ReceiveAsync(buffer, SocketFlags.None, cancel.Token) > 0)
                {
                    // The echo of a byte that crossed before the fault; keep reading until the reset.
                }

                seen = "closed";
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                seen = "reset";
            }

            Assert.That(seen, Is.EqualTo("reset"), progmp.ToString);
        }

        await progmp.WaitForLineAsync(line => line.Contains("Path restored after Reset", StringComparison.Ordinal), cancel.Token);
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(relay, cancel.Token);
            await client.SendAsync(new byte[] { 42 }, SocketFlags.None, cancel.Token);
            var buffer = new byte[1];
            Assert.That(await client.ReceiveAsync(buffer, SocketFlags.None, cancel.Token), Is.EqualTo(1));
            Assert.That(buffer[0], Is.EqualTo(42));
        }

        await progmp.SignalAsync(interrupt ? "INT" : "TERM", cancel.Token);
        var exitCode = await progmp.WaitForExitAsync(cancel.Token);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(0), progmp.ToString);
            Assert.That(progmp.Output, Does.Contain("Path emulator stopped:").And.Contain("1 bytes to client"), progmp.ToString);
        });
    }

    private static async Task<(long Count, byte[] Hash)> ReceiveToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int count;
        while ((count = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, count);
            total += count;
        }

        return (total, hash.GetHashAndReset());
    }
}
