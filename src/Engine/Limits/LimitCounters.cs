using Microsoft.Extensions.Logging;
using ProgMp.Engine.Logging;
using ProgMp.Engine.Timing;

namespace ProgMp.Engine.Limits;

/// <summary>
/// Counts the times each <see cref="ResourceLimit"/> was reached, thread-safe, and says when one is worth
/// a log line: the first hit of a kind, then at most once a minute, never per frame.
/// </summary>
internal sealed class LimitCounters
{
    private static readonly ResourceLimit[] s_all = Enum.GetValues<ResourceLimit>();
    private static readonly long s_logEveryUs = (long)TimeSpan.FromMinutes(1).TotalMicroseconds;

    private readonly long[] _counts = new long[s_all.Length];
    private readonly long[] _lastLoggedUs = new long[s_all.Length];

    public long Count(ResourceLimit limit) => Interlocked.Read(ref _counts[(int)limit]);

    public IReadOnlyList<KeyValuePair<ResourceLimit, long>> Snapshot() =>
        s_all.Select(l => KeyValuePair.Create(l, Count(l))).ToList();

    /// <summary>Counts a hit and logs it unless this kind was logged within the last minute.</summary>
    public void Hit(ResourceLimit limit, ILogger logger, string detail)
    {
        var index = (int)limit;
        var total = Interlocked.Increment(ref _counts[index]);
        var now = MonotonicClock.NowMicroseconds;
        var last = Interlocked.Read(ref _lastLoggedUs[index]);
        if ((last == 0 || now - last >= s_logEveryUs) && Interlocked.CompareExchange(ref _lastLoggedUs[index], now, last) == last)
        {
            EngineLog.LimitReached(logger, limit, total, detail);
        }
    }
}
