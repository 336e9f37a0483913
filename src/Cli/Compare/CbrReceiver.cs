namespace ProgMp.Cli.Compare;

/// <summary>
/// The receiving side of a constant-bit-rate stream: bytes delivered in each whole second of the run,
/// and the longest time between two deliveries once the first arrived. Bounded: seconds past the array
/// (a run that overstays its deadline) fall into the last slot.
/// </summary>
internal sealed class CbrReceiver
{
    private readonly Lock _gate = new();
    private readonly long[] _perSecond;
    private TimeSpan? _last;
    private TimeSpan _longestGap;

    public CbrReceiver(TimeSpan span)
    {
        _perSecond = new long[(int)Math.Ceiling(span.TotalSeconds) + 1];
    }

    public void Read(long bytes, TimeSpan now)
    {
        lock (_gate)
        {
            _perSecond[Math.Min((int)now.TotalSeconds, _perSecond.Length - 1)] += bytes;
            if (_last is { } last && now - last > _longestGap)
            {
                _longestGap = now - last;
            }

            _last = now;
        }
    }

    public TimeSpan LongestGap
    {
        get
        {
            lock (_gate)
            {
                return _longestGap;
            }
        }
    }

    /// <summary>Bytes delivered in each of the first <paramref name="seconds"/> whole seconds.</summary>
    public long[] PerSecond(int seconds)
    {
        lock (_gate)
        {
            return _perSecond.AsSpan(0, Math.Min(seconds, _perSecond.Length)).ToArray();
        }
    }
}
