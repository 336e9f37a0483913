namespace ProgMp.Runtime.Execution;

/// <summary><c>RANDOM</c> as a given sequence, starting again at the first when used up (eval's <c>random</c>).</summary>
internal sealed class SequenceRandom : IRandomSource
{
    private readonly long[] _values;
    private int _next;

    public SequenceRandom(IReadOnlyList<long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("At least one value is needed.", nameof(values));
        }

        _values = [.. values];
        foreach (var v in _values)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(v, nameof(values));
        }
    }

    public long Next()
    {
        var value = _values[_next];
        _next = (_next + 1) % _values.Length;
        return value;
    }
}
