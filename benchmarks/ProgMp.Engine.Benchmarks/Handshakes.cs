using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ProgMp.Engine.Security;

namespace ProgMp.Engine.Benchmarks;

/// <summary>What a subflow's TLS handshake costs: wall time and CPU (both sides, one process) per handshake, against a plain TCP connect.</summary>
internal static class Handshakes
{
    public static async Task MeasureAsync(int count)
    {
        Console.WriteLine($"Subflow handshake cost on loopback, {count} handshakes in sequence, client and server in this process (CPU is both sides together).");
        Console.WriteLine("| transport | wall ms per subflow | CPU ms per subflow |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var tls in new[] { false, true })
        {
            var (server, client) = BenchSecurity.Create(tls);
            await RunAsync(server, client, Math.Max(1, count / 10));
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await RunAsync(server, client, count);
            var wall = clock.Elapsed.TotalMilliseconds / count;
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / count;
            Console.WriteLine($"| {(tls ? "TCP + TLS 1.3 (P-256, mutual)" : "TCP connect only")} | {wall:F2} | {cpu:F2} |");
        }
    }

    private static async Task RunAsync(MultipathSecurity server, MultipathSecurity client, int count)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        for (var i = 0; i < count; i++)
        {
            using var outgoing = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var accepting = listener.AcceptAsync();
            await outgoing.ConnectAsync(listener.LocalEndPoint!);
            using var incoming = await accepting;
            var serverSide = SubflowTls.AcceptAsync(incoming, server, CancellationToken.None);
            var clientSide = await SubflowTls.ConnectAsync(outgoing, client, CancellationToken.None);
            var accepted = await serverSide;
            await clientSide.CloseAsync();
            await accepted.CloseAsync();
        }
    }
}
