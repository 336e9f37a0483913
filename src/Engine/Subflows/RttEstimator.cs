namespace ProgMp.Engine.Subflows;

/// <summary>
/// Smoothed round-trip time and its variation as RFC 6298 computes them (gains 1/8 and 1/4), plus the
/// minimum over a sliding window, all in microseconds, from data-level samples (an acknowledgement that
/// echoes a frame, or a pong).
/// </summary>
internal sealed class RttEstimator
{
    private const long MinRttWindowUs = 10_000_000;
    private long _minRttStampUs;

    public long SmoothedUs { get; private set; }

    public long VariationUs { get; private set; }

    /// <summary>The least sample of the last ten seconds or so: the path's RTT without queueing.</summary>
    public long MinUs { get; private set; }

    public bool HasSample { get; private set; }

    public long LatestUs { get; private set; }

    public void AddSample(long sampleUs, long nowUs)
    {
        if (sampleUs < 1)
        {
            sampleUs = 1;
        }

        LatestUs = sampleUs;
        if (!HasSample)
        {
            HasSample = true;
            SmoothedUs = sampleUs;
            VariationUs = sampleUs / 2;
            MinUs = sampleUs;
            _minRttStampUs = nowUs;
            return;
        }

        VariationUs += (Math.Abs(SmoothedUs - sampleUs) - VariationUs) / 4;
        SmoothedUs += (sampleUs - SmoothedUs) / 8;
        if (sampleUs <= MinUs || nowUs - _minRttStampUs > MinRttWindowUs)
        {
            MinUs = sampleUs;
            _minRttStampUs = nowUs;
        }
    }

    /// <summary>RFC 6298's RTO shape, SRTT + 4 × RTTVAR, without TCP's 200 ms floor.</summary>
    public long TimeoutUs => SmoothedUs + (4 * VariationUs);
}
