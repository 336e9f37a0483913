using System.Diagnostics;
using System.Globalization;

namespace ProgMp.Engine.Tests.Support;

/// <summary>
/// What an attack costs this process: the peak growth of the managed heap over its level before the
/// attack (sampled every few milliseconds while it runs), and the CPU time spent meanwhile. The
/// engine's buffers are pooled managed arrays, so the managed heap is where a peer's bytes show.
/// </summary>
internal sealed class ResourceMeter : IAsyncDisposable
{
    private readonly long _heapBefore;
    private readonly TimeSpan _cpuBefore;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peak;
    private TimeSpan? _cpuAfter;

    private ResourceMeter()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        _heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        _peak = _heapBefore;
        _cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        _sampling = Task.Run(SampleAsync);
    }

    /// <summary>Bytes the managed heap grew by at most since the meter started.</summary>
    public long PeakGrowthBytes => Math.Max(0, Interlocked.Read(ref _peak) - _heapBefore);

    public double PeakGrowthMiB => PeakGrowthBytes / (1024.0 * 1024.0);

    /// <summary>CPU seconds the process used since the meter started.</summary>
    public double CpuSeconds => ((_cpuAfter ?? Process.GetCurrentProcess().TotalProcessorTime) - _cpuBefore).TotalSeconds;

    public static ResourceMeter Start() => new();

    /// <summary>One line for the test's output: what the attack cost.</summary>
    public string Describe(string attack) =>
        string.Create(CultureInfo.InvariantCulture, $"{attack}: peak managed heap growth {PeakGrowthMiB:F1} MiB, CPU {CpuSeconds:F2} s");

    /// <summary>Stops measuring: the figures stay as they are now.</summary>
    public async ValueTask DisposeAsync()
    {
        _cpuAfter ??= Process.GetCurrentProcess().TotalProcessorTime;
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var now = GC.GetTotalMemory(forceFullCollection: false);
                if (now > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, now);
                }

                await Task.Delay(5, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
