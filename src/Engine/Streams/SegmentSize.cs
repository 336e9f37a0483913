using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Streams;

/// <summary>
/// How long a bulk write's segments are, as the kernel's TSO autosizing sizes its packets: about a
/// millisecond of the path's rate, in whole packet sizes, at least one packet and at most a data
/// frame's largest payload. A segment of several packet sizes counts as that many packets in CWND,
/// SKBS_IN_FLIGHT and QUEUED (<see cref="OutboundPacket.Units"/>), as the kernel counts a TSO skb as
/// several segments, so a program keeps its meaning while the engine handles one segment instead of many.
/// </summary>
internal static class SegmentSize
{
    /// <summary>The time a segment takes at the path's rate: long enough to amortize the work per segment, short enough not to delay data behind it.</summary>
    public const long TargetMicroseconds = 1_000;

    /// <summary>
    /// The segment length for a path that delivers <paramref name="bytesPerSecond"/> (0: not measured yet,
    /// so one packet, as before any rate is known the engine cannot tell a fast path from a slow one).
    /// </summary>
    public static int ForRate(int packetSize, long bytesPerSecond)
    {
        var target = Math.Min(Math.Max(0, bytesPerSecond) * TargetMicroseconds / 1_000_000, WireFormat.MaxDataPayload);
        return (int)Math.Max(1, target / packetSize) * packetSize;
    }

    /// <summary>How many packet sizes a segment of <paramref name="length"/> bytes counts as: at least one (a FIN counts one, as a packet always did).</summary>
    public static int Units(long length, int packetSize) => (int)Math.Max(1, (length + packetSize - 1) / packetSize);
}
