using System.Diagnostics;

namespace ProgMp.Engine.Timing;

/// <summary>
/// Microseconds of a monotonic clock: the unit of the wire's timestamps (docs/protocol.md, 8.4) and of
/// every figure the engine measures. Wall-clock time can jump; this cannot.
/// </summary>
internal static class MonotonicClock
{
    private static readonly long s_origin = Stopwatch.GetTimestamp();

    /// <summary>Microseconds since the process first asked, so values stay far below 2⁶³.</summary>
    public static long NowMicroseconds
    {
        get
        {
            var ticks = Stopwatch.GetTimestamp() - s_origin;
            return (long)(ticks * (1_000_000.0 / Stopwatch.Frequency));
        }
    }

    public static long NowMilliseconds => NowMicroseconds / 1000;
}
