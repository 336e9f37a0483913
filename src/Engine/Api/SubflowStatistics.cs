using System.Text;

namespace ProgMp.Engine;

/// <summary>
/// One subflow's figures at one moment, as its scheduler sees them and as the engine counts them. Byte
/// counts are payload unless said otherwise, from the subflow's start; times are in the unit their names say.
/// </summary>
public sealed record SubflowStatistics
{
    /// <summary>The subflow's id within its session (<c>ID</c> in a program).</summary>
    public required long Id { get; init; }

    /// <summary>The client's path id the subflow belongs to.</summary>
    public required int PathId { get; init; }

    /// <summary>This side's address and port of the subflow's TCP connection, if known.</summary>
    public string? LocalEndPoint { get; init; }

    /// <summary>The peer's address and port of the subflow's TCP connection, if known.</summary>
    public string? RemoteEndPoint { get; init; }

    /// <summary>Active, suspected (silent past the data-level timeout, out of SUBFLOWS until it answers) or dead.</summary>
    public required SubflowState State { get; init; }

    /// <summary>True when the subflow's path is marked backup (<c>IS_BACKUP</c>).</summary>
    public bool IsBackup { get; init; }

    /// <summary>Smoothed data-level round-trip time, microseconds (<c>RTT</c>).</summary>
    public long RttMicroseconds { get; init; }

    /// <summary>The variation of the round-trip time, microseconds (<c>RTT_VAR</c>).</summary>
    public long RttVarMicroseconds { get; init; }

    /// <summary>The least round-trip time measured, microseconds.</summary>
    public long MinRttMicroseconds { get; init; }

    /// <summary>One-way delay towards the peer, microseconds (<c>DELAY_OUT</c>).</summary>
    public long DelayOutMicroseconds { get; init; }

    /// <summary>One-way delay from the peer, microseconds (<c>DELAY_IN</c>).</summary>
    public long DelayInMicroseconds { get; init; }

    /// <summary>The engine's congestion window, packets (<c>CWND</c>).</summary>
    public long CongestionWindow { get; init; }

    /// <summary>Packets sent on the subflow and not yet acknowledged at the data level (<c>SKBS_IN_FLIGHT</c>).</summary>
    public long InFlight { get; init; }

    /// <summary>Packets pushed to the subflow and not yet written to its socket (<c>QUEUED</c>).</summary>
    public long Queued { get; init; }

    /// <summary>Payload bytes written to the subflow, every copy counted.</summary>
    public long BytesSent { get; init; }

    /// <summary>Payload bytes acknowledged whose delivery is attributed to this subflow.</summary>
    public long BytesAcked { get; init; }

    /// <summary>Payload bytes this subflow sent that had been sent before (redundancy and retransmission).</summary>
    public long RetransmittedBytes { get; init; }

    /// <summary>Packets counted lost: data-level (reinjected after a timeout) plus the kernel's count.</summary>
    public long LostPackets { get; init; }

    /// <summary>Bytes sent over the last second (<c>BW_OUT_SEND</c>).</summary>
    public long SendBytesLastSecond { get; init; }

    /// <summary>Bytes acknowledged over the last second (<c>BW_OUT_ACK</c>).</summary>
    public long AckedBytesLastSecond { get; init; }

    /// <summary>Bytes of frames received on the subflow (headers and duplicates included, TLS not), unlike the payload counts.</summary>
    public long BytesReceived { get; init; }

    /// <summary>How often the data-level timeout suspected the subflow (and took it out of SUBFLOWS until it answered).</summary>
    public long TimesSuspected { get; init; }

    /// <summary>The kernel's smoothed RTT of the subflow's TCP connection (<c>TCP_INFO</c>), microseconds: to the next hop only, when a relay or middlebox ends it.</summary>
    public long KernelRttMicroseconds { get; init; }

    /// <summary>The kernel's congestion window of the subflow's TCP connection, segments.</summary>
    public long KernelCongestionWindow { get; init; }

    /// <summary>The kernel's congestion state: open, disorder, cwr, recovery or loss; null before the first reading.</summary>
    public string? KernelState { get; init; }

    private bool PrintMembers(StringBuilder builder) => StatisticsText.AppendMembers(this, builder);
}
