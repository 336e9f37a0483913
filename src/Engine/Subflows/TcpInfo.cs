using System.Globalization;
using System.Runtime.InteropServices;

namespace ProgMp.Engine.Subflows;

/// <summary>
/// A copy of the kernel's <c>struct tcp_info</c> for one socket (Linux include/uapi/linux/tcp.h), with
/// each field read at its offset in that struct, in host byte order. The engine takes LOST_SKBS, LOSSY
/// and its view of the socket from here (DESIGN.md, execution contract). Fields that an older kernel
/// does not return (it copies a shorter struct) are null; the fields up to <c>tcpi_total_retrans</c>
/// have been there since Linux 2.6 and are always present. Times are in the units the kernel uses,
/// which the names say.
/// </summary>
internal readonly struct TcpInfo
{
    /// <summary>Bytes read from the kernel at most: the struct of Linux 6.x (248 bytes) with room to spare.</summary>
    public const int Capacity = 256;

    /// <summary>The shortest struct accepted: through <c>tcpi_total_retrans</c>.</summary>
    public const int MinimumLength = 104;

    private readonly TcpInfoBytes _bytes;

    private TcpInfo(ReadOnlySpan<byte> raw)
    {
        Length = Math.Min(raw.Length, Capacity);
        raw[..Length].CopyTo(_bytes);
    }

    /// <summary>How many bytes of the struct the kernel returned.</summary>
    public int Length { get; }

    public KernelTcpState State => (KernelTcpState)Byte(0);

    public TcpCongestionState CongestionState => (TcpCongestionState)Byte(1);

    /// <summary>Retransmission timeouts in a row for the segment at the head (tcpi_retransmits).</summary>
    public byte Retransmits => Byte(2);

    public byte Probes => Byte(3);

    /// <summary>Exponential backoff of the RTO (tcpi_backoff).</summary>
    public byte Backoff => Byte(4);

    public TcpInfoOptions Options => (TcpInfoOptions)Byte(5);

    // Two 4-bit fields in one byte; C compilers fill bit fields from the low bit on little-endian targets, from the high bit on big-endian ones.
    public byte SndWindowScale => (byte)(BitConverter.IsLittleEndian ? Byte(6) & 0x0F : Byte(6) >> 4);

    public byte RcvWindowScale => (byte)(BitConverter.IsLittleEndian ? Byte(6) >> 4 : Byte(6) & 0x0F);

    public uint RtoMicroseconds => UInt32(8);

    public uint AtoMicroseconds => UInt32(12);

    public uint SndMss => UInt32(16);

    public uint RcvMss => UInt32(20);

    /// <summary>Segments sent and not yet acknowledged (tcpi_unacked).</summary>
    public uint Unacked => UInt32(24);

    public uint Sacked => UInt32(28);

    /// <summary>Segments the kernel considers lost now (tcpi_lost).</summary>
    public uint Lost => UInt32(32);

    /// <summary>Segments retransmitted and not yet acknowledged (tcpi_retrans).</summary>
    public uint Retrans => UInt32(36);

    public uint Fackets => UInt32(40);

    public uint LastDataSentMilliseconds => UInt32(44);

    public uint LastDataReceivedMilliseconds => UInt32(52);

    public uint LastAckReceivedMilliseconds => UInt32(56);

    public uint Pmtu => UInt32(60);

    public uint RcvSsthresh => UInt32(64);

    /// <summary>The kernel's smoothed RTT (tcpi_rtt).</summary>
    public uint RttMicroseconds => UInt32(68);

    public uint RttVarMicroseconds => UInt32(72);

    public uint SndSsthresh => UInt32(76);

    /// <summary>Congestion window in segments (tcpi_snd_cwnd).</summary>
    public uint SndCwnd => UInt32(80);

    public uint AdvMss => UInt32(84);

    public uint Reordering => UInt32(88);

    public uint RcvRttMicroseconds => UInt32(92);

    public uint RcvSpace => UInt32(96);

    /// <summary>Segments retransmitted over the connection's life (tcpi_total_retrans).</summary>
    public uint TotalRetrans => UInt32(100);

    public ulong? PacingRateBytesPerSecond => UInt64(104);

    public ulong? MaxPacingRateBytesPerSecond => UInt64(112);

    public ulong? BytesAcked => UInt64(120);

    public ulong? BytesReceived => UInt64(128);

    public uint? SegsOut => UInt32OrNull(136);

    public uint? SegsIn => UInt32OrNull(140);

    /// <summary>Bytes written to the socket and not yet sent (what TCP_NOTSENT_LOWAT bounds).</summary>
    public uint? NotSentBytes => UInt32OrNull(144);

    public uint? MinRttMicroseconds => UInt32OrNull(148);

    public uint? DataSegsIn => UInt32OrNull(152);

    public uint? DataSegsOut => UInt32OrNull(156);

    public ulong? DeliveryRateBytesPerSecond => UInt64(160);

    public ulong? BusyTimeMicroseconds => UInt64(168);

    public ulong? ReceiveWindowLimitedMicroseconds => UInt64(176);

    public ulong? SendBufferLimitedMicroseconds => UInt64(184);

    public uint? Delivered => UInt32OrNull(192);

    public uint? DeliveredCe => UInt32OrNull(196);

    public ulong? BytesSent => UInt64(200);

    public ulong? BytesRetrans => UInt64(208);

    public uint? DsackDups => UInt32OrNull(216);

    public uint? ReorderSeen => UInt32OrNull(220);

    public uint? RcvOutOfOrderPackets => UInt32OrNull(224);

    /// <summary>The peer's advertised receive window in bytes, after scaling (tcpi_snd_wnd).</summary>
    public uint? SndWindow => UInt32OrNull(228);

    /// <summary>The receive window this end advertises, in bytes (tcpi_rcv_wnd, Linux 6.2 and later).</summary>
    public uint? RcvWindow => UInt32OrNull(232);

    /// <summary>Reads a struct the kernel wrote (host byte order); false when it is too short to be one.</summary>
    public static bool TryParse(ReadOnlySpan<byte> raw, out TcpInfo info)
    {
        if (raw.Length < MinimumLength)
        {
            info = default;
            return false;
        }

        info = new TcpInfo(raw);
        return true;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{State} ca={CongestionState} rtt={RttMicroseconds}/{RttVarMicroseconds}us cwnd={SndCwnd} ssthresh={SndSsthresh} unacked={Unacked} lost={Lost} retrans={Retrans}/{TotalRetrans} acked={BytesAcked} notsent={NotSentBytes} ({Length} bytes)");

    private byte Byte(int offset) => Length > offset ? _bytes[offset] : (byte)0;

    private uint UInt32(int offset) => UInt32OrNull(offset) ?? 0;

    private uint? UInt32OrNull(int offset)
    {
        ReadOnlySpan<byte> bytes = _bytes;
        return Length >= offset + sizeof(uint) ? MemoryMarshal.Read<uint>(bytes[offset..]) : null;
    }

    private ulong? UInt64(int offset)
    {
        ReadOnlySpan<byte> bytes = _bytes;
        return Length >= offset + sizeof(ulong) ? MemoryMarshal.Read<ulong>(bytes[offset..]) : null;
    }
}
