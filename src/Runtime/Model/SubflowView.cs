namespace ProgMp.Runtime.Model;

/// <summary>
/// A subflow as a scheduler sees it (LANGUAGE.md, "Subflow properties"). The host (the engine, or
/// <c>eval</c>) writes the figures before an invocation; within an invocation they do not change.
/// </summary>
internal sealed class SubflowView
{
    /// <summary>Subflows per session: one bit each in <see cref="Packet.SentOnMask"/>.</summary>
    public const int MaxSlots = 64;

    public SubflowView(long id, int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, MaxSlots);
        Id = id;
        Slot = slot;
        Bit = 1UL << slot;
    }

    /// <summary>Unique in the session, stable for the subflow's life (<c>ID</c>).</summary>
    public readonly long Id;

    /// <summary>Index of the subflow in its session, 0..63; indexes per-stream subflow user values.</summary>
    public readonly int Slot;

    /// <summary><c>1UL &lt;&lt; Slot</c>.</summary>
    public readonly ulong Bit;

    /// <summary>Smoothed round-trip time, microseconds.</summary>
    public long Rtt;

    public long RttVar;

    public long DelayOut;

    public long DelayIn;

    /// <summary>Congestion window, packets.</summary>
    public long Cwnd = 10;

    public long Ssthresh = int.MaxValue;

    public long InFlight;

    public long Queued;

    public long Lost;

    public long BwOutSend;

    public long BwOutAck;

    public bool IsBackup;

    public bool Throttled;

    public bool Lossy;

    /// <summary>
    /// The receive window as <c>eval</c> describes it, in bytes beyond what is in flight:
    /// <c>HAS_WINDOW_FOR(p)</c> needs <c>p.LENGTH &lt;= WindowBytes</c>.
    /// </summary>
    public long WindowBytes = int.MaxValue;

    /// <summary>
    /// The receive window as the engine knows it: the peer's right edge for the stream (the first
    /// sequence number it does not accept). A packet fits when it ends at or before the edge, so a
    /// retransmission, which lies below data already sent, always fits: a full window never blocks
    /// the data the receiver is waiting for. The engine sets it per stream before each invocation.
    /// </summary>
    public long WindowRightEdge = long.MaxValue;

    public bool HasWindowFor(Packet packet) =>
        packet.Length <= WindowBytes && packet.Seq + packet.Length <= WindowRightEdge;

    public override string ToString() => $"subflow {Id}";
}
