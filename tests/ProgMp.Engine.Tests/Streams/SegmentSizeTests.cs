using ProgMp.Engine.Streams;

namespace ProgMp.Engine.Tests.Streams;

/// <summary>
/// How long bulk segments are: about a millisecond of the path's rate in whole packet sizes, within
/// one packet and a data frame's largest payload; and how many packets a segment counts as.
/// </summary>
public sealed class SegmentSizeTests
{
    [TestCase(1400, 0L, 1400, TestName = "No rate measured yet: one packet")]
    [TestCase(1400, 1_000_000L, 1400, TestName = "Under a packet per millisecond: one packet")]
    [TestCase(1400, 12_500_000L, 11_200, TestName = "100 Mbit/s: 12.5 kB a millisecond, 8 packets")]
    [TestCase(1400, 125_000_000L, 64_400, TestName = "1 Gbit/s: capped at the largest payload, 46 packets")]
    [TestCase(1400, 10_000_000_000L, 64_400, TestName = "Loopback rates: capped at the largest payload")]
    [TestCase(16_384, 10_000_000_000L, 65_536, TestName = "16 KiB packets: four to a segment at most")]
    [TestCase(16_384, 5_000_000L, 16_384, TestName = "16 KiB packets on a slow path: one packet")]
    [TestCase(65_536, 10_000_000_000L, 65_536, TestName = "Packets of the largest payload: one packet")]
    [TestCase(1000, 5_500_000L, 5000, TestName = "Rounded down to whole packets")]
    [TestCase(1400, -5L, 1400, TestName = "A negative rate counts as none")]
    public void A_bulk_segment_is_about_a_millisecond_of_the_rate_in_whole_packets(int packetSize, long bytesPerSecond, int expected) =>
        Assert.That(SegmentSize.ForRate(packetSize, bytesPerSecond), Is.EqualTo(expected));

    [TestCase(0L, 1400, 1, TestName = "A FIN without payload counts one packet")]
    [TestCase(1L, 1400, 1)]
    [TestCase(1400L, 1400, 1)]
    [TestCase(1401L, 1400, 2)]
    [TestCase(64_400L, 1400, 46)]
    [TestCase(65_536L, 16_384, 4)]
    public void A_segment_counts_as_its_length_in_packet_sizes_rounded_up(long length, int packetSize, int expected) =>
        Assert.That(SegmentSize.Units(length, packetSize), Is.EqualTo(expected));
}
