using BenchmarkDotNet.Attributes;
using ProgMp.Engine.Subflows;

namespace ProgMp.Benchmarks;

/// <summary>
/// What one acknowledgement costs the window: the rate sample alone (the baseline, the window before
/// it covered waiting acknowledgements), and with the two acknowledgement-wait figures and the
/// delivered rate of the last second that it now takes. Both must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class AckWindowBenchmarks
{
    private const long MinRttUs = 44_000;
    private readonly DeliveryRateWindow _window = new(1400);
    private readonly DelayAboveLeast _inbound = new(3, 10_000_000);
    private readonly DelayAboveLeast _inFlight = new(5, 10_000_000);
    private readonly ByteRateMeter _acked = new();
    private long _nowUs = 1_000_000;

    [Benchmark(Baseline = true)]
    public long RateSampleOnly()
    {
        _nowUs += 500;
        _window.OnRateSample(140_000, 56_000, MinRttUs, 0, 0, _nowUs);
        return _window.Window;
    }

    [Benchmark]
    public long RateSampleWithAckWait()
    {
        _nowUs += 500;
        _inbound.Add(22_000 + (_nowUs & 0xFFF), _nowUs);
        _inFlight.Add(25_000 + (_nowUs & 0x7FF), _nowUs);
        _acked.Add(1400, _nowUs);
        var wait = Math.Min(_inbound.ExcessUs, _inFlight.ExcessUs);
        _window.OnRateSample(140_000, 56_000, MinRttUs, wait, _acked.LastSecond(_nowUs), _nowUs);
        return _window.Window;
    }
}
