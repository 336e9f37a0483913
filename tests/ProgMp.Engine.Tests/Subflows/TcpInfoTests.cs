using System.Runtime.InteropServices;
using ProgMp.Engine.Subflows;

namespace ProgMp.Engine.Tests.Subflows;

/// <summary>The struct's fields at Linux's offsets (include/uapi/linux/tcp.h), and a shorter struct from an older kernel.</summary>
public sealed class TcpInfoTests
{
    [Test]
    public void Fields_are_read_at_their_offsets_in_the_linux_struct()
    {
        var raw = new byte[232];
        raw[0] = 1;
        raw[1] = 4;
        raw[2] = 3;
        raw[4] = 2;
        raw[5] = (byte)(TcpInfoOptions.Timestamps | TcpInfoOptions.Sack);
        raw[6] = 0x7A;
        Put32(raw, 8, 204_000);
        Put32(raw, 16, 1448);
        Put32(raw, 24, 10);
        Put32(raw, 32, 3);
        Put32(raw, 36, 2);
        Put32(raw, 44, 5);
        Put32(raw, 56, 6);
        Put32(raw, 68, 12_345);
        Put32(raw, 72, 678);
        Put32(raw, 76, 40);
        Put32(raw, 80, 20);
        Put32(raw, 100, 9);
        Put64(raw, 104, 1_000_000_000);
        Put64(raw, 120, 5_000_000_000);
        Put64(raw, 128, 77);
        Put32(raw, 144, 4096);
        Put32(raw, 148, 11_000);
        Put64(raw, 160, 123_456_789);
        Put64(raw, 200, 6_000_000_000);
        Put64(raw, 208, 4_242);
        Put32(raw, 228, 65_535);

        Assert.That(TcpInfo.TryParse(raw, out var info), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(info.State, Is.EqualTo(KernelTcpState.Established));
            Assert.That(info.CongestionState, Is.EqualTo(TcpCongestionState.Loss));
            Assert.That(info.Retransmits, Is.EqualTo(3));
            Assert.That(info.Backoff, Is.EqualTo(2));
            Assert.That(info.Options, Is.EqualTo(TcpInfoOptions.Timestamps | TcpInfoOptions.Sack));
            Assert.That(info.SndWindowScale, Is.EqualTo(BitConverter.IsLittleEndian ? 0xA : 0x7));
            Assert.That(info.RcvWindowScale, Is.EqualTo(BitConverter.IsLittleEndian ? 0x7 : 0xA));
            Assert.That(info.RtoMicroseconds, Is.EqualTo(204_000));
            Assert.That(info.SndMss, Is.EqualTo(1448));
            Assert.That(info.Unacked, Is.EqualTo(10));
            Assert.That(info.Lost, Is.EqualTo(3));
            Assert.That(info.Retrans, Is.EqualTo(2));
            Assert.That(info.LastDataSentMilliseconds, Is.EqualTo(5));
            Assert.That(info.LastAckReceivedMilliseconds, Is.EqualTo(6));
            Assert.That(info.RttMicroseconds, Is.EqualTo(12_345));
            Assert.That(info.RttVarMicroseconds, Is.EqualTo(678));
            Assert.That(info.SndSsthresh, Is.EqualTo(40));
            Assert.That(info.SndCwnd, Is.EqualTo(20));
            Assert.That(info.TotalRetrans, Is.EqualTo(9));
            Assert.That(info.PacingRateBytesPerSecond, Is.EqualTo(1_000_000_000));
            Assert.That(info.BytesAcked, Is.EqualTo(5_000_000_000));
            Assert.That(info.BytesReceived, Is.EqualTo(77));
            Assert.That(info.NotSentBytes, Is.EqualTo(4096));
            Assert.That(info.MinRttMicroseconds, Is.EqualTo(11_000));
            Assert.That(info.DeliveryRateBytesPerSecond, Is.EqualTo(123_456_789));
            Assert.That(info.BytesSent, Is.EqualTo(6_000_000_000));
            Assert.That(info.BytesRetrans, Is.EqualTo(4_242));
            Assert.That(info.SndWindow, Is.EqualTo(65_535));
            Assert.That(info.RcvWindow, Is.Null, "the 232-byte struct of Linux 5.x ends before tcpi_rcv_wnd");
        });
    }

    [Test]
    public void A_shorter_struct_from_an_older_kernel_leaves_the_newer_fields_null()
    {
        // Linux 4.9 returned 160 bytes: through tcpi_data_segs_out, before tcpi_delivery_rate.
        var raw = new byte[160];
        raw[0] = 1;
        Put32(raw, 80, 10);
        Put64(raw, 120, 99);
        Put32(raw, 156, 5);

        Assert.That(TcpInfo.TryParse(raw, out var info), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(info.Length, Is.EqualTo(160));
            Assert.That(info.SndCwnd, Is.EqualTo(10));
            Assert.That(info.BytesAcked, Is.EqualTo(99));
            Assert.That(info.DataSegsOut, Is.EqualTo(5));
            Assert.That(info.DeliveryRateBytesPerSecond, Is.Null);
            Assert.That(info.BytesSent, Is.Null);
            Assert.That(info.SndWindow, Is.Null);
        });
    }

    [Test]
    public void A_struct_shorter_than_the_oldest_layout_is_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TcpInfo.TryParse(new byte[TcpInfo.MinimumLength - 1], out _), Is.False);
            Assert.That(TcpInfo.TryParse(new byte[TcpInfo.MinimumLength], out var info), Is.True);
            Assert.That(info.PacingRateBytesPerSecond, Is.Null);
        });
    }

    [Test]
    public void A_longer_struct_from_a_newer_kernel_is_read_as_far_as_known()
    {
        var raw = new byte[400];
        Put32(raw, 232, 1234);
        Assert.That(TcpInfo.TryParse(raw, out var info), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(info.Length, Is.EqualTo(TcpInfo.Capacity));
            Assert.That(info.RcvWindow, Is.EqualTo(1234));
        });
    }

    private static void Put32(byte[] raw, int offset, uint value) => MemoryMarshal.Write(raw.AsSpan(offset), in value);

    private static void Put64(byte[] raw, int offset, ulong value) => MemoryMarshal.Write(raw.AsSpan(offset), in value);
}
