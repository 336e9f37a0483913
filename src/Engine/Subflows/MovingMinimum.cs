namespace ProgMp.Engine.Subflows;

/// <summary>
/// The least value of roughly the last span of time, kept in ten buckets, so that an old minimum
/// expires to the least of the values since rather than to whatever value comes next. Times are the
/// engine's monotonic microseconds (never negative). Allocates nothing after construction.
/// </summary>
internal sealed class MovingMinimum
{
    private const int Buckets = 10;
    private readonly long _bucketUs;
    private readonly long[] _least = new long[Buckets];
    private readonly long[] _start = new long[Buckets];

    public MovingMinimum(long spanUs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spanUs, Buckets);
        _bucketUs = spanUs / Buckets;
        Array.Fill(_start, -1);
    }

    /// <summary>False until the first value.</summary>
    public bool HasValue { get; private set; }

    /// <summary>The least value of the buckets within the last span, as of the latest <see cref="Add"/>.</summary>
    public long Value { get; private set; }

    public void Add(long value, long nowUs)
    {
        var start = nowUs / _bucketUs * _bucketUs;
        var index = (int)(nowUs / _bucketUs % Buckets);
        if (_start[index] != start)
        {
            _start[index] = start;
            _least[index] = value;
        }
        else
        {
            _least[index] = Math.Min(_least[index], value);
        }

        var least = value;
        for (var i = 0; i < Buckets; i++)
        {
            if (_start[i] >= 0 && start - _start[i] < Buckets * _bucketUs)
            {
                least = Math.Min(least, _least[i]);
            }
        }

        Value = least;
        HasValue = true;
    }
}
