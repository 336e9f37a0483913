namespace ProgMp.Runtime.Execution;

/// <summary>
/// The default <c>RANDOM</c>: xorshift64*, small and allocation-free. Not for cryptography; schedulers
/// use it for spreading load.
/// </summary>
internal sealed class XorShiftRandom : IRandomSource
{
    private ulong _state;

    public XorShiftRandom(ulong seed)
    {
        _state = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;
    }

    public static XorShiftRandom FromEntropy() => new((ulong)Random.Shared.NextInt64() | 1UL);

    public long Next()
    {
        var x = _state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        _state = x;
        return (long)((x * 0x2545F4914F6CDD1DUL) >> 1);
    }
}
