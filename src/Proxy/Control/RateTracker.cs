namespace ProgMp.Proxy.Control;

/// <summary>
/// Per-second rates from a counter's difference between snapshots the endpoint keeps. A snapshot is
/// renewed once it is a second old, so the rate covers at least the time since the previous request
/// and at most a little over a second of history; a counter seen for the first time has no rate yet.
/// </summary>
internal sealed class RateTracker
{
    private const long RenewAfterTicks = TimeSpan.TicksPerSecond;
    private static readonly long s_forgetAfterTicks = TimeSpan.FromMinutes(1).Ticks;

    private readonly Dictionary<string, Snapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly Func<long> _clock;
    private long _lastSweep;

    /// <param name="clock">Now, in <see cref="TimeSpan"/> ticks; a test may drive it by hand.</param>
    public RateTracker(Func<long>? clock = null)
    {
        _clock = clock ?? (() => Environment.TickCount64 * TimeSpan.TicksPerMillisecond);
    }

    /// <summary>Units per second of counter <paramref name="key"/> since its snapshot, or null on first sight.</summary>
    public double? Rate(string key, long value)
    {
        var now = _clock();
        lock (_snapshots)
        {
            SweepLocked(now);
            if (!_snapshots.TryGetValue(key, out var snapshot) || value < snapshot.Value)
            {
                // New, or a counter that went back (a new subflow or stream under an old id): start over.
                _snapshots[key] = new Snapshot(now, value, now);
                return null;
            }

            var elapsed = now - snapshot.Time;
            double? rate = elapsed <= 0 ? null : (value - snapshot.Value) * (double)TimeSpan.TicksPerSecond / elapsed;
            _snapshots[key] = elapsed >= RenewAfterTicks ? new Snapshot(now, value, now) : snapshot with { Seen = now };
            return rate;
        }
    }

    /// <summary>Snapshots kept now (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_snapshots)
            {
                return _snapshots.Count;
            }
        }
    }

    // Counters of ended streams and subflows go once nobody has asked for them in a minute.
    private void SweepLocked(long now)
    {
        if (now - _lastSweep < s_forgetAfterTicks)
        {
            return;
        }

        _lastSweep = now;
        foreach (var (key, snapshot) in _snapshots)
        {
            if (now - snapshot.Seen >= s_forgetAfterTicks)
            {
                _snapshots.Remove(key);
            }
        }
    }

    private readonly record struct Snapshot(long Time, long Value, long Seen);
}
