using System.Net;
using System.Net.Sockets;
using ProgMp.Emulation;

namespace ProgMp.Engine.Benchmarks;

/// <summary>Goodput and failover through the project's path emulator: two paths of different rate and delay.</summary>
internal static class Emulated
{
    private static readonly string[] s_schedulers = ["minRtt", "roundRobin"];
    private static readonly (string Name, double Mbit, double DelayMs)[] s_paths = [("path1", 100, 10), ("path2", 50, 20)];

    /// <summary>Plain TCP through each emulated path alone (the baseline: their sum), then the engine over both.</summary>
    public static async Task GoodputAsync(TimeSpan duration, int packet, IReadOnlyList<bool> runs)
    {
        Console.WriteLine($"Goodput through two emulated paths ({string.Join(", ", s_paths.Select(p => $"{p.Mbit} Mbit/s {p.DelayMs} ms"))}), {duration.TotalSeconds} s per run; the baseline is plain TCP through each path alone, in this run.");
        Console.WriteLine("| run | Mbit/s | ratio to the sum of the paths |");
        Console.WriteLine("|---|---:|---:|");
        var sum = 0.0;
        foreach (var path in s_paths)
        {
            var mbit = await PlainThroughAsync(path.Mbit, path.DelayMs, duration);
            sum += mbit;
            Console.WriteLine($"| plain TCP, {path.Name} alone | {mbit:F1} | |");
        }

        Console.WriteLine($"| sum of the paths | {sum:F1} | 1.00 |");
        foreach (var (tls, scheduler) in runs.SelectMany(tls => s_schedulers.Select(s => (tls, s))))
        {
            await using var setup = await EmulatedSession.StartAsync(s_paths, scheduler, packet, tls);
            var meter = new StallMeter();
            var reading = meter.ReadAllAsync(setup.Receiver, duration);
            await Write(setup.Sender, duration);
            await reading;
            Console.WriteLine($"| engine, {scheduler}, both paths, {BenchSecurity.Name(tls)} | {meter.Mbit:F1} | {meter.Mbit / sum:F2} |");
            if (Environment.GetEnvironmentVariable("PROGMP_BENCH_TRACE") is not null)
            {
                foreach (var subflow in setup.Client.GetStatistics().Subflows)
                {
                    Console.Error.WriteLine($"  path {subflow.PathId}: sent {subflow.BytesSent / 1e6:F1} MB, rtt {subflow.RttMicroseconds / 1000.0:F1} ms (min {subflow.MinRttMicroseconds / 1000.0:F1}), cwnd {subflow.CongestionWindow}, lost {subflow.LostPackets}, retransmitted {subflow.RetransmittedBytes / 1e6:F2} MB");
                }
            }
        }
    }

    /// <summary>The longest delivery gap when path 1 dies mid-transfer, by reset and by blackhole.</summary>
    public static async Task FailoverAsync(TimeSpan duration, int packet, IReadOnlyList<bool> runs)
    {
        Console.WriteLine($"Failover: path1 ({s_paths[0].Mbit} Mbit/s, RTT {2 * s_paths[0].DelayMs} ms) dies at {duration.TotalSeconds / 3:F1} s of a {duration.TotalSeconds} s transfer; path2 ({s_paths[1].Mbit} Mbit/s, RTT {2 * s_paths[1].DelayMs} ms) lives. Stall = the longest time the receiver got no byte.");
        Console.WriteLine("| failure | goodput Mbit/s | longest stall ms | target ms (100 or 150 + path2 RTT) | reinjected MB |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var tls in runs)
        {
            await RunFailure(PathFailureMode.Reset, 100, duration, packet, tls);
            await RunFailure(PathFailureMode.Blackhole, 150, duration, packet, tls);
            await RunFailure(null, 0, duration, packet, tls);
        }
    }

    private static async Task RunFailure(PathFailureMode? mode, double budgetMs, TimeSpan duration, int packet, bool tls)
    {
        await using var setup = await EmulatedSession.StartAsync(s_paths, "minRtt", packet, tls);
        var meter = new StallMeter();
        var reading = meter.ReadAllAsync(setup.Receiver, duration);
        var failing = Task.Run(async () =>
        {
            await Task.Delay(duration / 3);
            if (mode is { } m)
            {
                setup.Emulators[0].Fail(m);
            }
        });
        await Write(setup.Sender, duration);
        await reading;
        await failing;
        var reinjected = setup.Sender.GetStatistics().ReinjectedBytes / 1e6;
        var name = (mode?.ToString().ToLowerInvariant() ?? "none (control run)") + ", " + BenchSecurity.Name(tls);
        var target = mode is null ? "" : $"{budgetMs + (2 * s_paths[1].DelayMs):F0}";
        Console.WriteLine($"| {name} | {meter.Mbit:F1} | {meter.LongestGap.TotalMilliseconds:F0} | {target} | {reinjected:F2} |");
    }

    private static async Task Write(MultipathStream stream, TimeSpan duration)
    {
        var chunk = new byte[64 * 1024];
        new Random(7).NextBytes(chunk);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            await stream.WriteAsync(chunk);
        }

        stream.CompleteWrites();
    }

    private static async Task<double> PlainThroughAsync(double mbit, double delayMs, TimeSpan duration)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        await using var emulator = PathEmulator.Start(new IPEndPoint(IPAddress.Loopback, 0), (IPEndPoint)listener.LocalEndPoint!, new PathProfile(TimeSpan.FromMilliseconds(delayMs), mbit));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(emulator.LocalEndPoint);
        using var server = await listener.AcceptAsync();
        await using var clientStream = new NetworkStream(client);
        await using var serverStream = new NetworkStream(server);
        return (await Transfer.MeasureAsync(clientStream, serverStream, () => client.Shutdown(SocketShutdown.Send), duration)).Mbit;
    }
}
