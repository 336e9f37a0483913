using ProgMp.Engine.Streams;
using ProgMp.Engine.Subflows;

namespace ProgMp.Engine.Accounting;

/// <summary>
/// What the data level knows of one subflow's traffic: its packets queued, in flight and delivered,
/// its round-trip time, one-way delays and window. Only <see cref="SendLedger"/> changes the counts
/// and the window; the subflow adds the timing samples its frames carry (<see cref="Rtt"/>,
/// <see cref="AddOneWaySample"/>); everything else reads them.
/// </summary>
internal sealed class SubflowAccount
{
    public SubflowAccount(int slot, int packetSize, long nowUs)
    {
        Slot = slot;
        Bit = 1UL << slot;
        Congestion = new DeliveryRateWindow(packetSize);
        DeliveredTimeUs = nowUs;
    }

    /// <summary>The subflow's slot: its bit in a packet's masks (SENT_ON and the engine's own).</summary>
    public int Slot { get; }

    public ulong Bit { get; }

    /// <summary>The subflow ended: the ledger counts nothing for it any more.</summary>
    public bool IsClosed { get; internal set; }

    public RttEstimator Rtt { get; } = new();

    public DeliveryRateWindow Congestion { get; }

    /// <summary>Packets written to the socket and not yet acknowledged at the data level (SKBS_IN_FLIGHT), in packet-size units (<see cref="OutboundPacket.Units"/>).</summary>
    public int InFlight { get; internal set; }

    /// <summary>Packets pushed to the subflow and not yet written (QUEUED), in packet-size units.</summary>
    public int Queued { get; internal set; }

    /// <summary>Payload bytes of those packets.</summary>
    public long QueuedBytes { get; internal set; }

    /// <summary>Bytes delivered (acknowledged at the data level and credited to this subflow), and when the latest were.</summary>
    public long Delivered { get; internal set; }

    public long DeliveredTimeUs { get; internal set; }

    /// <summary>What <see cref="Delivered"/> was when the current round trip began: a packet sent after it ends the round.</summary>
    internal long RoundStartDelivered { get; set; }

    public long PayloadBytesSent { get; internal set; }

    public long RetransmittedBytesSent { get; internal set; }

    public long PayloadBytesAcked { get; internal set; }

    /// <summary>Packets inferred lost at the data level (taken back after the subflow timed out or failed), in packet-size units.</summary>
    public long DataLevelLost { get; internal set; }

    /// <summary>Smoothed raw one-way delays (true delay plus or minus the clocks' offset, which the session knows), microseconds; set once <see cref="HasDelay"/>.</summary>
    public long OutRawUs { get; private set; }

    public long InRawUs { get; private set; }

    public bool HasDelay { get; private set; }

    /// <summary>
    /// How much longer than at their quickest in the last ten seconds acknowledgements now take to come
    /// back, microseconds (what <see cref="DeliveryRateWindow"/> covers). Two views, and the lesser: the
    /// inbound one-way delay of this subflow (the way back alone, but blind to acknowledgements that come
    /// sooner over another subflow, as a slow path's do over a quick one), and the time its packets stay
    /// in flight beyond the outbound delay (what its window really holds, but with the receiver's batching
    /// of reads in it).
    /// </summary>
    public long AckWaitUs => Math.Min(_inQueueing.ExcessUs, AckLegQueueing.ExcessUs);

    private const long AckWaitSpanUs = 10_000_000;

    // Raw figures (the clock offset cancels in the excess); the inbound one smoothed as DELAY_IN is, the
    // other per packet (fed by the ledger at each delivery), so more slowly.
    private readonly DelayAboveLeast _inQueueing = new(3, AckWaitSpanUs);

    internal DelayAboveLeast AckLegQueueing { get; } = new(5, AckWaitSpanUs);

    /// <summary>A timestamped round trip's raw one-way figures (the subflow checked them for sanity).</summary>
    public void AddOneWaySample(long outRaw, long inRaw, long nowUs)
    {
        if (!HasDelay)
        {
            OutRawUs = outRaw;
            InRawUs = inRaw;
            HasDelay = true;
        }
        else
        {
            OutRawUs += (outRaw - OutRawUs) / 8;
            InRawUs += (inRaw - InRawUs) / 8;
        }

        _inQueueing.Add(inRaw, nowUs);
    }

    public ByteRateMeter SendMeter { get; } = new();

    public ByteRateMeter AckMeter { get; } = new();

    /// <summary>Packets written and maybe still in flight, oldest first; acknowledged ones are skipped lazily.</summary>
    internal Queue<OutboundPacket> Outstanding { get; } = new();

    /// <summary>The oldest packet this subflow wrote that is still in flight on it, if any: what the data-level timeout watches.</summary>
    public OutboundPacket? OldestInFlight()
    {
        while (Outstanding.TryPeek(out var head))
        {
            if (!head.Acked && (head.InFlightMask & Bit) != 0)
            {
                return head;
            }

            Outstanding.Dequeue();
        }

        return null;
    }

    public override string ToString() => $"account of slot {Slot}: {InFlight} in flight, {Queued} queued, window {Congestion.Window}";
}
