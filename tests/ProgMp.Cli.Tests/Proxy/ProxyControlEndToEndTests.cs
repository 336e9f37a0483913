using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using ProgMp.Cli.Tests.Support;
using ProgMp.Proxy.Tests;

namespace ProgMp.Cli.Tests.Proxy;

/// <summary>
/// Issue 4 end to end, every part a real process: two <c>progmp emulate-path</c> relays (a fast and a
/// slow path) in front of a <c>progmp proxy remote</c>, a <c>progmp proxy local</c> over both with a
/// control endpoint, and <c>progmp ctl</c> steering it while a paced transfer runs through a forward
/// port to a sink that hashes what it gets.
/// </summary>
public class ProxyControlEndToEndTests
{
    private const int Upload = 24 * 1024 * 1024;
    private const int Download = 4 * 1024 * 1024;
    private const int Window = 4 * 1024 * 1024;
    private const int Chunk = 64 * 1024;

    // How far the sender may run past the end of a measured window while the next ctl step starts.
    private const int Margin = 1024 * 1024;

    // Below the slow path's 20 Mbit/s, so one path alone keeps up and steering never stalls the sender.
    private const double PaceBytesPerSecond = 2_000_000;

    /// <summary>R1 names the subflow that carries new data; without it (0, or gone) the lowest RTT does.</summary>
    private const string SteerProgram = """
        SCHEDULER steer;

        VAR open = SUBFLOWS.FILTER(s => s.CWND > s.SKBS_IN_FLIGHT + s.QUEUED AND !s.THROTTLED);
        IF (open.EMPTY) { RETURN; }

        IF (!RQ.EMPTY) {
          VAR again = open.FILTER(s => !RQ.TOP.SENT_ON(s)).MIN(s => s.RTT);
          IF (again != NULL) { again.PUSH(RQ.POP()); RETURN; }
        }

        VAR named = SUBFLOWS.FILTER(s => s.ID == R1);
        IF (!Q.EMPTY) {
          open.FILTER(s => (named.EMPTY OR s.ID == R1) AND s.HAS_WINDOW_FOR(Q.TOP)).MIN(s => s.RTT).PUSH(Q.POP());
        }
        """;

    [Test]
    [CancelAfter(150_000)]
    public async Task Ctl_load_use_set_and_path_remove_steer_a_live_transfer_over_two_emulated_paths_and_it_arrives_whole(CancellationToken cancellationToken)
    {
        using var directory = new TemporaryDirectory();
        var token = CtlFixture.WriteTokenFile(directory, "end-to-end-" + Guid.NewGuid().ToString("N"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var program = directory.Write("steer.progmp", SteerProgram);
        var upload = SocketTransfer.Random(Upload, 41);
        var download = SocketTransfer.Random(Download, 42);

        var received = new StrongBox<long>();
        var sinkDone = new TaskCompletionSource<(long Length, byte[] Hash)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var sink = new LegacyServer(IPAddress.Loopback, async (socket, ct) =>
        {
            var answering = SocketTransfer.SendAllAsync(socket, download, ct);
            sinkDone.TrySetResult(await ReceiveCountingAsync(socket, received, ct));
            await answering;
        });

        using var keys = await ProxyKeys.CreateAsync();
        await using var remote = await RunningProgmp.StartAsync(["proxy", "remote", "--listen", "127.0.0.1:0", "--listen", "127.0.0.1:0", .. keys.Remote], cancellationToken);
        var remoteEndPoints = ReadyLines.ProxyEndPoints(remote.ReadyLine);
        await using var fastRelay = RunningProgmp.Start(["emulate-path", "--listen", "127.0.0.1:0", "--to", remoteEndPoints[0].ToString(), "--rate", "40", "--delay", "5"]);
        await using var slowRelay = RunningProgmp.Start(["emulate-path", "--listen", "127.0.0.1:0", "--to", remoteEndPoints[1].ToString(), "--rate", "20", "--delay", "15"]);
        var fastPath = await ReadyLines.EmulatorEndPointAsync(fastRelay, cancellationToken);
        var slowPath = await ReadyLines.EmulatorEndPointAsync(slowRelay, cancellationToken);
        await using var local = await RunningProgmp.StartAsync(
            [
                "proxy", "local",
                "--path", fastPath.ToString(),
                "--path", slowPath.ToString(),
                "--forward", $"127.0.0.1:0={sink.EndPoint}",
                "--control", "127.0.0.1:0",
                "--token-file", token,
                .. keys.Local,
            ],
            cancellationToken);
        var forward = ReadyLines.ProxyEndPoints(local.ReadyLine).Single();
        var control = ReadyLines.ControlUrl(local.ReadyLine) ?? throw new AssertionException("no control endpoint in: " + local.ReadyLine);
        await local.WaitForLogAsync(" established (", 2, cancellationToken);

        var processes = new[] { local, remote, fastRelay, slowRelay };
        var timeline = new List<string>();
        var clock = Stopwatch.StartNew();
        void Note(string what) => timeline.Add($"{clock.Elapsed.TotalSeconds,6:F1} s  {Volatile.Read(ref received.Value) / 1048576.0,6:F1} MiB at the sink  {what}");

        async Task<ProcessResult> CtlAsync(params string[] arguments)
        {
            var result = await ProgmpProcess.RunAsync(["ctl", control, .. arguments, "--token-file", token]);
            var said = arguments[0] == "stats" ? "" : " " + result.Output.Split('\n')[0];
            Note($"ctl {string.Join(' ', arguments)}: exit {result.ExitCode}{said}");
            Assert.That(result.ExitCode, Is.EqualTo(0), () => $"ctl {string.Join(' ', arguments)}\n{result}\n{Diagnostics(timeline, processes)}");
            return result;
        }

        async Task<JsonElement> StatsAsync()
        {
            var result = await CtlAsync("stats", "--json");
            using var document = JsonDocument.Parse(result.Output);
            var sessions = document.RootElement.GetProperty("sessions");
            Assert.That(sessions.GetArrayLength(), Is.EqualTo(1), result.Output);
            var session = sessions[0].Clone();
            Note("subflows " + string.Join(", ", session.GetProperty("subflows").EnumerateArray().Select(s =>
                $"{s.GetProperty("id").GetInt32()} (path {s.GetProperty("pathId").GetInt32()}, {s.GetProperty("state").GetString()}): {s.GetProperty("bytesSent").GetInt64()} B")));
            return session;
        }

        // The sender stops at the hold: however slow the ctl processes start, the steps happen mid-transfer.
        var hold = new StrongBox<long>(2 * Window);
        using var client = await SocketTransfer.ConnectAsync(forward, cancellationToken);
        var sending = SendPacedAsync(client, upload, hold, cancellationToken);
        var downloaded = SocksClient.ReceiveHashAsync(client, cancellationToken);

        async Task<(JsonElement Before, JsonElement After)> CarryAsync(JsonElement before, string what)
        {
            var start = Volatile.Read(ref received.Value);
            Volatile.Write(ref hold.Value, Math.Max(Volatile.Read(ref hold.Value), start + Window + Margin));
            await WaitForSinkAsync(received, start + Window, sending, processes, cancellationToken);
            Note($"{Window / 1048576} MiB more arrived {what}");
            return (before, await StatsAsync());
        }

        try
        {
            await WaitForSinkAsync(received, 1024 * 1024, sending, processes, cancellationToken);
            var first = await StatsAsync();
            var fast = SubflowOfPath(first, 0);
            var slow = SubflowOfPath(first, 1);
            Assert.That(Stream(first).GetProperty("scheduler").GetString(), Is.EqualTo("minRtt"));

            var loaded = await CtlAsync("load", program);
            Assert.That(loaded.Output, Does.Contain("loaded scheduler steer"));
            await CtlAsync("use", "steer", "--stream", "all");
            var steered = await StatsAsync();
            Assert.That(Stream(steered).GetProperty("scheduler").GetString(), Is.EqualTo("steer"), "the stream runs the loaded program");

            await CtlAsync("set", "R1", Invariant(slow), "--stream", "all");
            var (slowBefore, slowAfter) = await CarryAsync(await StatsAsync(), $"with R1 = {slow}");
            Assert.That(Stream(slowBefore).GetProperty("registers")[0].GetInt64(), Is.EqualTo(slow));
            AssertCarriedBy(slowBefore, slowAfter, slow, fast, timeline, processes);

            await CtlAsync("set", "R1", Invariant(fast), "--stream", "all");
            var (fastBefore, fastAfter) = await CarryAsync(await StatsAsync(), $"with R1 = {fast}");
            AssertCarriedBy(fastBefore, fastAfter, fast, slow, timeline, processes);

            // The path R1 names goes away: the program falls back to what is left.
            var removed = await CtlAsync("path", "remove", "0");
            Assert.That(removed.Output, Does.StartWith("removed path 0 of session "));
            var (goneBefore, goneAfter) = await CarryAsync(await StatsAsync(), "after path 0 was removed");
            Assert.Multiple(() =>
            {
                Assert.That(goneAfter.GetProperty("paths").EnumerateArray().Single(p => p.GetProperty("id").GetInt32() == 0).GetProperty("removed").GetBoolean(), Is.True);
                Assert.That(goneAfter.GetProperty("subflows").EnumerateArray().Where(s => s.GetProperty("pathId").GetInt32() == 0).Select(s => s.GetProperty("state").GetString()), Has.None.EqualTo("active"), "the removed path keeps no active subflow");
            });
            AssertCarriedBy(goneBefore, goneAfter, slow, fast, timeline, processes);

            Volatile.Write(ref hold.Value, Upload);
            await sending;
            var (length, hash) = await sinkDone.Task.WaitAsync(cancellationToken);
            var back = await downloaded;
            Note("transfer complete");
            Assert.Multiple(() =>
            {
                Assert.That(length, Is.EqualTo(Upload), "bytes at the sink");
                Assert.That(hash, Is.EqualTo(SHA256.HashData(upload)), "SHA-256 at the sink");
                Assert.That(back, Is.EqualTo(SHA256.HashData(download)), "SHA-256 of what came back");
            });
        }
        finally
        {
            TestContext.Out.WriteLine(string.Join('\n', timeline));
        }
    }

    /// <summary>Between two snapshots, the data went on <paramref name="carrier"/>: most of the bytes sent, and next to none on <paramref name="other"/>.</summary>
    private static void AssertCarriedBy(JsonElement before, JsonElement after, int carrier, int other, List<string> timeline, RunningProgmp[] processes)
    {
        var onCarrier = (BytesSent(after, carrier) ?? 0) - (BytesSent(before, carrier) ?? 0);

        // A subflow gone from the later report (its path removed) carried nothing more.
        var onOther = BytesSent(after, other) is { } otherAfter ? otherAfter - (BytesSent(before, other) ?? 0) : 0;
        Assert.Multiple(() =>
        {
            // Generous: packets the old choice had already queued may still leave on the other subflow.
            Assert.That(onCarrier, Is.GreaterThan(Window / 2), () => $"bytes on subflow {carrier}\n{Diagnostics(timeline, processes)}");
            Assert.That(onOther, Is.LessThan((onCarrier + onOther) / 5), () => $"bytes on subflow {other} while {carrier} was meant to carry\n{Diagnostics(timeline, processes)}");
        });
    }

    /// <summary>A subflow's <c>bytesSent</c>, or null when it is not in the report.</summary>
    private static long? BytesSent(JsonElement session, int subflow) =>
        session.GetProperty("subflows").EnumerateArray()
            .Where(s => s.GetProperty("id").GetInt32() == subflow)
            .Select(s => (long?)s.GetProperty("bytesSent").GetInt64())
            .SingleOrDefault();

    private static int SubflowOfPath(JsonElement session, int path) =>
        session.GetProperty("subflows").EnumerateArray().Single(s => s.GetProperty("pathId").GetInt32() == path).GetProperty("id").GetInt32();

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static JsonElement Stream(JsonElement session) => session.GetProperty("streams").EnumerateArray().Single();

    /// <summary>Sends at most <see cref="PaceBytesPerSecond"/> (a token bucket of a few chunks) and never past the hold, then a FIN.</summary>
    private static async Task SendPacedAsync(Socket socket, byte[] data, StrongBox<long> hold, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var clock = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        double tokens = Chunk;
        var offset = 0;
        while (offset < data.Length)
        {
            var now = clock.Elapsed;
            tokens = Math.Min(4 * Chunk, tokens + ((now - last).TotalSeconds * PaceBytesPerSecond));
            last = now;
            var count = (int)Math.Min(Math.Min(Chunk, data.Length - offset), Volatile.Read(ref hold.Value) - offset);
            if (count <= 0 || tokens < count)
            {
                await Task.Delay(5, cancellationToken);
                continue;
            }

            await socket.SendAsync(data.AsMemory(offset, count), SocketFlags.None, cancellationToken);
            offset += count;
            tokens -= count;
        }

        socket.Shutdown(SocketShutdown.Send);
    }

    private static async Task<(long Length, byte[] Hash)> ReceiveCountingAsync(Socket socket, StrongBox<long> received, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long length = 0;
        int count;
        while ((count = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, count);
            length += count;
            Interlocked.Add(ref received.Value, count);
        }

        return (length, hash.GetHashAndReset());
    }

    /// <summary>Waits until the sink has <paramref name="target"/> bytes; fails at once when the sender or a process gives up.</summary>
    private static async Task WaitForSinkAsync(StrongBox<long> received, long target, Task sending, RunningProgmp[] processes, CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref received.Value) < target)
        {
            if (sending.IsFaulted)
            {
                await sending;
            }

            if (processes.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                Assert.Fail($"a process exited during the transfer:\n{exited}");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private static string Diagnostics(List<string> timeline, RunningProgmp[] processes) =>
        string.Join('\n', timeline) + "\n\n" + string.Join("\n\n", processes.Select(p => p.ToString()));
}
