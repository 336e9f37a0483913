namespace ProgMp.Engine.Subflows;

/// <summary>
/// The engine's own congestion window for a subflow, in packets (DESIGN.md, "CWND, SSTHRESH"): 1.5
/// times the path's bandwidth-delay product, from the highest data-level delivery rate of the last second
/// and the least RTT, as BBR sizes its window, plus what the path delivers while acknowledgements wait
/// on their way back longer than they need to. While the path is not full, deliveries grow with the
/// window and the window grows by half every round trip; once the bottleneck is reached the rate stops
/// growing and the window settles, so <c>CWND &gt; SKBS_IN_FLIGHT + QUEUED</c> means "this path can
/// carry more now without queueing much".
/// </summary>
internal sealed class DeliveryRateWindow
{
    private const int Buckets = 10;
    private const long BucketUs = 100_000;
    private const long TurnaroundUs = 1_000;

    // The longest wait of acknowledgements the window covers, in least round trips (a bound on what a
    // broken or hostile timestamp can make the window grow by).
    private const long MaxAckWaitRoundTrips = 2;
    private readonly long[] _maxRate = new long[Buckets];
    private readonly long[] _bucketStart = new long[Buckets];
    private long _bestRate;
    private int _roundsWithoutGrowth;
    private long _growthReference;

    public DeliveryRateWindow(int packetSize, long initialWindow = 10, long minimumWindow = 4)
    {
        PacketSize = packetSize;
        Window = initialWindow;
        MinimumWindow = minimumWindow;
    }

    public int PacketSize { get; }

    public long MinimumWindow { get; }

    /// <summary>The congestion window, packets.</summary>
    public long Window { get; private set; }

    /// <summary>Once the rate stopped growing, the bandwidth-delay product in packets; until then "infinite", as in slow start.</summary>
    public long SlowStartThreshold { get; private set; } = int.MaxValue;

    /// <summary>Highest delivery rate of the last second, bytes per second.</summary>
    public long BottleneckBytesPerSecond => _bestRate;

    /// <summary>
    /// A delivery-rate sample: <paramref name="bytes"/> delivered over <paramref name="intervalUs"/>, with
    /// the path's figures as they are now: its least RTT; how much longer than at their quickest the
    /// acknowledgements take on their way back (<paramref name="ackWaitUs"/>); and the bytes it delivered
    /// in the last second.
    /// </summary>
    public void OnRateSample(long bytes, long intervalUs, long minRttUs, long ackWaitUs, long deliveredLastSecond, long nowUs)
    {
        if (intervalUs <= 0 || bytes <= 0)
        {
            return;
        }

        var rate = bytes * 1_000_000 / intervalUs;
        var index = (int)(nowUs / BucketUs % Buckets);
        var start = nowUs / BucketUs * BucketUs;
        if (_bucketStart[index] != start)
        {
            _bucketStart[index] = start;
            _maxRate[index] = 0;
        }

        _maxRate[index] = Math.Max(_maxRate[index], rate);
        var best = 0L;
        for (var i = 0; i < Buckets; i++)
        {
            if (nowUs - _bucketStart[i] < Buckets * BucketUs)
            {
                best = Math.Max(best, _maxRate[i]);
            }
        }

        _bestRate = best;
        Update(minRttUs, ackWaitUs, deliveredLastSecond);
    }

    /// <summary>A round trip ended: detects the full pipe as BBR does (three rounds without 25 % growth).</summary>
    public void OnRoundEnd()
    {
        if (_bestRate > _growthReference * 5 / 4)
        {
            _growthReference = _bestRate;
            _roundsWithoutGrowth = 0;
        }
        else if (++_roundsWithoutGrowth >= 3 && SlowStartThreshold == int.MaxValue)
        {
            SlowStartThreshold = Math.Max(MinimumWindow, Window / 2);
        }
    }

    private void Update(long minRttUs, long ackWaitUs, long deliveredLastSecond)
    {
        if (minRttUs <= 0)
        {
            return;
        }

        // The least RTT plus the engine's own turnaround (a receiver acknowledges once per read, a
        // sender writes in batches): without it, on a path of microseconds the window would starve the
        // path it measures.
        var bdpPackets = _bestRate * (minRttUs + TurnaroundUs) / 1_000_000 / PacketSize;

        // An acknowledgement that waits on its way back (behind the other direction's data in the same
        // byte stream and queues, when data flows both ways) keeps packets the path has delivered in the
        // window: the window covers that wait, or such a path idles. At the rate the path delivers and
        // without the gain, since either the highest rate or the gain would feed one direction's queue
        // into the other's window; and not the forward queue's wait, which is what it must not grow for.
        var ackWait = Math.Min(ackWaitUs, MaxAckWaitRoundTrips * (minRttUs + TurnaroundUs));
        var ackWaitPackets = deliveredLastSecond * ackWait / 1_000_000 / PacketSize;

        // Not BBR's 2: without pacing, what the window holds beyond one BDP stands in the bottleneck's
        // queue, and on a slow path that queue is what a fast path's packets wait for in the reorder
        // buffer (the demo's lte: mean reorder wait 150 ms at 2, 85-94 ms at 1.5, goodput the same).
        Window = Math.Max(MinimumWindow, (bdpPackets * 3 / 2) + 2 + ackWaitPackets);
        if (SlowStartThreshold != int.MaxValue)
        {
            SlowStartThreshold = Math.Max(MinimumWindow, bdpPackets);
        }
    }
}
