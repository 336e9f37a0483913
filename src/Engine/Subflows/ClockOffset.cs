namespace ProgMp.Engine.Subflows;

/// <summary>
/// The offset θ of the peer's clock from ours, one per session (docs/protocol.md, 8.4): every subflow
/// joins the same two clocks, so one θ serves them all. It is estimated as half the difference of the
/// least outbound and the least inbound raw delay over every subflow, which is exact when the quickest
/// paths out and back are equally quick; whatever the error, it is the same for every subflow, so
/// DELAY_OUT and DELAY_IN rank and differ between subflows as the paths really do. (Estimated per
/// subflow, as before, it made each path look symmetric: DELAY_OUT was half the RTT on a path 5 ms
/// out and 45 ms back.)
/// </summary>
internal sealed class ClockOffset
{
    private long _minOutRaw = long.MaxValue;
    private long _minInRaw = long.MaxValue;

    /// <summary>The estimate, microseconds: outbound raw − θ and inbound raw + θ are the one-way delays.</summary>
    public long OffsetUs { get; private set; }

    /// <summary>A timestamped round trip's raw delays (each true delay ± θ).</summary>
    public void Observe(long outRaw, long inRaw)
    {
        if (outRaw < _minOutRaw || inRaw < _minInRaw)
        {
            _minOutRaw = Math.Min(_minOutRaw, outRaw);
            _minInRaw = Math.Min(_minInRaw, inRaw);
            // In 128 bits: a peer's timestamps are its own clock's, of any size.
            OffsetUs = (long)Int128.Clamp((_minOutRaw - (Int128)_minInRaw) / 2, long.MinValue, long.MaxValue);
        }
    }
}
