namespace ProgMp.Engine.Subflows;

/// <summary>Bytes over the last second, in ten buckets of 100 ms (<c>BW_OUT_SEND</c>, <c>BW_OUT_ACK</c>).</summary>
internal sealed class ByteRateMeter
{
    private const int Buckets = 10;
    private const long BucketUs = 100_000;
    private readonly long[] _bytes = new long[Buckets];
    private readonly long[] _start = new long[Buckets];

    public void Add(long bytes, long nowUs)
    {
        var index = (int)(nowUs / BucketUs % Buckets);
        var start = nowUs / BucketUs * BucketUs;
        if (_start[index] != start)
        {
            _start[index] = start;
            _bytes[index] = 0;
        }

        _bytes[index] += bytes;
    }

    /// <summary>Bytes in the last second up to <paramref name="nowUs"/>.</summary>
    public long LastSecond(long nowUs)
    {
        var total = 0L;
        for (var i = 0; i < Buckets; i++)
        {
            if (nowUs - _start[i] < Buckets * BucketUs)
            {
                total += _bytes[i];
            }
        }

        return total;
    }
}
