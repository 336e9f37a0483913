using System.Net;
using System.Net.Sockets;
using ProgMp.Emulation;

namespace ProgMp.Engine.Benchmarks;

/// <summary>
/// Echo both ways at once through two emulated paths: plain TCP through each path alone (the baseline,
/// summed per direction), then one multipath stream over both, echoing and one way.
/// </summary>
internal static class Echo
{
    private static readonly (string Name, double Mbit, double DelayMs)[] s_paths = [("path1", 40, 5), ("path2", 20, 20)];
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_connectLimit = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(TimeSpan duration, int packet, IReadOnlyList<bool> runs, string scheduler)
    {
        // Every run is a warm-up, a window and a drain of at most 10 s; the whole mode is bounded by their sum and some slack.
        var runCount = s_paths.Length + (2 * runs.Count);
        using var limit = new CancellationTokenSource(runCount * (s_warmUp + duration + TimeSpan.FromSeconds(30)));
        var token = limit.Token;
        Console.WriteLine($"Echo both ways at once through two emulated paths ({string.Join(", ", s_paths.Select(p => $"{p.Mbit} Mbit/s {p.DelayMs} ms one way"))}), {duration.TotalSeconds} s after {s_warmUp.TotalSeconds} s of warm-up per run, packets of {packet} bytes, {scheduler}.");
        Console.WriteLine("To server = bytes the server read per second; back = bytes echoed back to the client per second. Ratios are to the sum of plain TCP through each path alone, echoing, in this run. Reorder wait: the mean time a byte that arrived out of order waited, over the whole run, at the server / at the client.");
        Console.WriteLine("| run | to server Mbit/s | ratio | back Mbit/s | ratio | reorder wait ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        var sum = default(EchoRates);
        foreach (var path in s_paths)
        {
            var rates = await PlainEchoAsync(path.Mbit, path.DelayMs, duration, token);
            sum += rates;
            Console.WriteLine($"| plain TCP echo, {path.Name} alone | {rates.ToServerMbit:F1} | | {rates.BackMbit:F1} | | |");
        }

        Console.WriteLine($"| sum of the paths | {sum.ToServerMbit:F1} | 1.00 | {sum.BackMbit:F1} | 1.00 | |");
        foreach (var tls in runs)
        {
            foreach (var echo in new[] { true, false })
            {
                EchoRates rates;
                string reorderWait;
                await using (var session = await StartAsync(scheduler, packet, tls, token))
                {
                    rates = await EchoLoad.MeasureAsync(session.Sender, session.Sender.CompleteWrites, session.Receiver, session.Receiver.CompleteWrites, echo, s_warmUp, duration, token);
                    Trace(session);
                    var toServer = session.Receiver.GetStatistics().MeanReorderWaitMilliseconds;
                    reorderWait = echo ? $"{toServer:F1} / {session.Sender.GetStatistics().MeanReorderWaitMilliseconds:F1}" : $"{toServer:F1}";
                }

                var name = $"multipath, both paths, {(echo ? "echo" : "one way")}, {BenchSecurity.Name(tls)}";
                var back = echo ? $"{rates.BackMbit:F1} | {rates.BackMbit / sum.BackMbit:F2}" : " | ";
                Console.WriteLine($"| {name} | {rates.ToServerMbit:F1} | {rates.ToServerMbit / sum.ToServerMbit:F2} | {back} | {reorderWait} |");
            }
        }
    }

    private static async Task<EmulatedSession> StartAsync(string scheduler, int packet, bool tls, CancellationToken token)
    {
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(token);
        connect.CancelAfter(s_connectLimit);
        return await EmulatedSession.StartAsync(s_paths, scheduler, packet, tls, connect.Token);
    }

    private static async Task<EchoRates> PlainEchoAsync(double mbit, double delayMs, TimeSpan duration, CancellationToken token)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        await using var emulator = PathEmulator.Start(new IPEndPoint(IPAddress.Loopback, 0), (IPEndPoint)listener.LocalEndPoint!, new PathProfile(TimeSpan.FromMilliseconds(delayMs), mbit));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(token);
        connect.CancelAfter(s_connectLimit);
        await client.ConnectAsync(emulator.LocalEndPoint, connect.Token);
        using var server = await listener.AcceptAsync(connect.Token);
        await using var clientStream = new NetworkStream(client);
        await using var serverStream = new NetworkStream(server);
        return await EchoLoad.MeasureAsync(clientStream, () => client.Shutdown(SocketShutdown.Send), serverStream, () => server.Shutdown(SocketShutdown.Send), echo: true, s_warmUp, duration, token);
    }

    private static void Trace(EmulatedSession session)
    {
        if (Environment.GetEnvironmentVariable("PROGMP_BENCH_TRACE") is null)
        {
            return;
        }

        foreach (var (side, stats) in new[] { ("client", session.Client.GetStatistics()), ("server", session.Server.GetStatistics()) })
        {
            foreach (var subflow in stats.Subflows)
            {
                Console.Error.WriteLine($"  {side} path {subflow.PathId}: sent {subflow.BytesSent / 1e6:F1} MB, rtt {subflow.RttMicroseconds / 1000.0:F1} ms (min {subflow.MinRttMicroseconds / 1000.0:F1}), cwnd {subflow.CongestionWindow}, lost {subflow.LostPackets}, retransmitted {subflow.RetransmittedBytes / 1e6:F2} MB");
            }
        }
    }
}
