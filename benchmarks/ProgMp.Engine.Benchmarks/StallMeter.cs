using System.Diagnostics;

namespace ProgMp.Engine.Benchmarks;

/// <summary>Reads a stream to its end and records the longest time the reader got no byte (a "stall").</summary>
internal sealed class StallMeter
{
    private readonly Stopwatch _clock = new();

    public long Bytes { get; private set; }

    public TimeSpan LongestGap { get; private set; }

    /// <summary>When the longest gap began, from the first byte.</summary>
    public TimeSpan LongestGapAt { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    public double Mbit => Bytes * 8 / Elapsed.TotalSeconds / 1e6;

    public async Task ReadAllAsync(Stream stream, TimeSpan ignoreAfter)
    {
        var buffer = new byte[256 * 1024];
        var last = TimeSpan.Zero;
        while (true)
        {
            var n = await stream.ReadAsync(buffer);
            if (n == 0)
            {
                Elapsed = last;
                return;
            }

            if (!_clock.IsRunning)
            {
                _clock.Start();
            }

            var now = _clock.Elapsed;
            // The drain after the sender stops is no failover stall.
            if (now - last > LongestGap && now < ignoreAfter)
            {
                LongestGap = now - last;
                LongestGapAt = last;
            }

            last = now;
            Bytes += n;
        }
    }
}
