namespace ProgMp.Engine.Subflows;

/// <summary>
/// How far a smoothed delay now lies above its least of the last span: the queueing a delay carries
/// beyond the path's own. The least is of the smoothed figure, not of single samples, so that jitter
/// alone adds nothing; and a constant in every sample (a clock offset) cancels.
/// </summary>
internal sealed class DelayAboveLeast
{
    private readonly int _gainShift;
    private readonly MovingMinimum _least;
    private long _smoothedUs;
    private int _samples;

    /// <param name="gainShift">Each sample moves the smoothed figure by 1 / 2^gainShift of its difference.</param>
    /// <param name="spanUs">How long the least is remembered.</param>
    public DelayAboveLeast(int gainShift, long spanUs)
    {
        _gainShift = gainShift;
        _least = new MovingMinimum(spanUs);
    }

    /// <summary>The smoothed delay above its least, microseconds; 0 before any sample.</summary>
    public long ExcessUs => _least.HasValue ? Math.Max(0, _smoothedUs - _least.Value) : 0;

    public void Add(long sampleUs, long nowUs)
    {
        _smoothedUs = _samples == 0 ? sampleUs : _smoothedUs + ((sampleUs - _smoothedUs) / (1L << _gainShift));

        // Not before the smoothed figure has seen a few samples: until then it is a single sample's, and
        // its least would be the lowest jitter rather than the path's delay.
        if (_samples < 1 << _gainShift)
        {
            _samples++;
            return;
        }

        _least.Add(_smoothedUs, nowUs);
    }
}
