namespace ProgMp.Cli.Compare;

/// <summary>
/// Response sizes drawn log-uniformly from a range, so that 1 B to 200 kB gives as many flows of a few
/// bytes as of a hundred kilobytes, as ProgMP's own evaluation spread them. The sequence depends only on
/// the seed: every scheduler meets the same flows in the same repeat.
/// </summary>
internal sealed class FlowSizes
{
    private readonly Random _random;
    private readonly double _logMin;
    private readonly double _logMax;
    private readonly long _max;

    public FlowSizes(long min, long max, int seed)
    {
        _random = new Random(seed);
        _logMin = Math.Log(min);
        _logMax = Math.Log(max + 1);
        _max = max;
    }

    public long Next() => Math.Min(_max, (long)Math.Exp(_logMin + (_random.NextDouble() * (_logMax - _logMin))));

    /// <summary>The seed for workload <paramref name="index"/> in repeat <paramref name="repeat"/>.</summary>
    public static int Seed(int index, int repeat) => 7919 * (index + 1) + repeat;
}
