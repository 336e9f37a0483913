using System.Globalization;
using System.Net;
using ProgMp.Compiler;
using ProgMp.Engine;
using ProgMp.Engine.Benchmarks;

// ProgMp.Engine.Benchmarks [throughput|paths|failover|echo|handshake] [--seconds N] [--packet BYTES] [--security tls|plaintext|both] [--scheduler NAME] [--subflows 1,2,4]
var seconds = 3.0;
var packet = 1400;
var mode = "throughput";
var security = "tls";
var scheduler = "minRtt";
int[] subflowCounts = [1, 2, 4];
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds":
            seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--packet":
            packet = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--security":
            security = args[++i];
            break;
        case "--scheduler":
            scheduler = args[++i];
            break;
        case "--subflows":
            subflowCounts = args[++i].Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
            break;
        default:
            mode = args[i];
            break;
    }
}

var duration = TimeSpan.FromSeconds(seconds);
IReadOnlyList<bool> runs;
try
{
    runs = BenchSecurity.Runs(security);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

switch (mode)
{
    case "throughput":
        await ThroughputAsync();
        break;
    case "paths":
        await Emulated.GoodputAsync(duration, packet, runs);
        break;
    case "failover":
        await Emulated.FailoverAsync(duration, packet, runs);
        break;
    case "echo":
        await Echo.RunAsync(duration, packet, runs, scheduler);
        break;
    case "handshake":
        await Handshakes.MeasureAsync(200);
        break;
    default:
        Console.Error.WriteLine($"unknown mode '{mode}': throughput, paths, failover, echo or handshake");
        return 2;
}

return 0;

async Task ThroughputAsync()
{
    Console.WriteLine($"Loopback throughput, one stream, {seconds} s per run, packets of {packet} bytes, minRtt; ratios against plain TCP measured in this run.");
    var baseline = await Transfer.PlainTcpAsync(duration);
    Console.WriteLine($"| run | Mbit/s | ratio to plain TCP | scheduler decisions/s | allocated B/MiB | CPU s/GB | CPU ratio to plain TCP |");
    Console.WriteLine($"|---|---:|---:|---:|---:|---:|---:|");
    Console.WriteLine($"| plain TCP | {baseline.Mbit:F0} | 1.00 | | {baseline.AllocatedPerMiB:F0} | {baseline.CpuSecondsPerGB:F2} | 1.00 |");
    foreach (var (tls, subflows) in runs.SelectMany(tls => subflowCounts.Select(n => (tls, n))))
    {
        var (serverSecurity, clientSecurity) = BenchSecurity.Create(tls);
        var registry = SchedulerLibrary.CreateRegistry();
        var options = new MultipathOptions { Registry = registry, PacketSize = packet, Security = serverSecurity };
        await using var listener = new MultipathListener([new IPEndPoint(IPAddress.Loopback, 0)], options);
        listener.Start();
        var endpoint = listener.LocalEndPoints[0];
        var clientOptions = new MultipathOptions { Registry = registry, PacketSize = packet, Security = clientSecurity };
        await using var client = await MultipathClient.ConnectAsync(Enumerable.Repeat(new MultipathPath(endpoint), subflows), clientOptions);
        await using var server = await listener.AcceptSessionAsync();
        while (client.GetStatistics().Subflows.Count < subflows)
        {
            await Task.Delay(10);
        }

        var stream = client.OpenStream();
        var accepted = await server.AcceptStreamAsync();
        var before = client.GetStatistics().SchedulerInvocations;
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var watchdog = new Timer(_ =>
        {
            if (Environment.GetEnvironmentVariable("PROGMP_BENCH_TRACE") is not null)
            {
                Console.Error.WriteLine(string.Join("\n", client.GetStatistics().Subflows) + "\n" + string.Join("\n", client.GetStatistics().Streams.Select(s => s with { Registers = [] })));
            }
        }, null, 1000, 1000);
        var result = await Transfer.MeasureAsync(stream, accepted, stream.CompleteWrites, duration);
        var decisions = (client.GetStatistics().SchedulerInvocations - before) / started.Elapsed.TotalSeconds;
        Console.WriteLine($"| {subflows} subflow{(subflows > 1 ? "s" : "")}, {BenchSecurity.Name(tls)} | {result.Mbit:F0} | {result.Mbit / baseline.Mbit:F2} | {decisions:F0} | {result.AllocatedPerMiB:F0} | {result.CpuSecondsPerGB:F2} | {result.CpuSecondsPerGB / baseline.CpuSecondsPerGB:F2} |");
    }
}
