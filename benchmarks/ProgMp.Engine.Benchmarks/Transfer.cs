using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ProgMp.Engine.Benchmarks;

/// <summary>Timed one-way transfers: a sender writes as fast as it can for a while, the receiver counts.</summary>
internal static class Transfer
{
    /// <summary>Plain TCP over loopback: the baseline every engine figure is divided by.</summary>
    public static async Task<TransferResult> PlainTcpAsync(TimeSpan duration)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var server = await listener.AcceptAsync();
        await using var clientStream = new NetworkStream(client);
        await using var serverStream = new NetworkStream(server);
        return await MeasureAsync(clientStream, serverStream, () => client.Shutdown(SocketShutdown.Send), duration);
    }

    /// <summary>Writes for <paramref name="duration"/>, then ends; returns the receiver's goodput from first to last byte.</summary>
    public static async Task<TransferResult> MeasureAsync(Stream sender, Stream receiver, Action complete, TimeSpan duration)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[256 * 1024];
            long total = 0;
            var clock = new Stopwatch();
            while (true)
            {
                var n = await receiver.ReadAsync(buffer);
                if (n == 0)
                {
                    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                    var carried = Math.Max(1, total);
                    return new TransferResult(total * 8 / clock.Elapsed.TotalSeconds / 1e6, allocated * 1048576.0 / carried, cpu.TotalSeconds * 1e9 / carried);
                }

                if (!clock.IsRunning)
                {
                    clock.Start();
                }

                total += n;
            }
        });
        var chunk = new byte[256 * 1024];
        new Random(1).NextBytes(chunk);
        var until = Stopwatch.StartNew();
        while (until.Elapsed < duration)
        {
            await sender.WriteAsync(chunk);
        }

        complete();
        return await reading;
    }
}
