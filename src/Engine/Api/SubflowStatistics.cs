namespace ProgMp.Engine;

/// <summary>One subflow's figures, as its scheduler sees them and as the engine counts them.</summary>
public sealed record SubflowStatistics
{
    public required long Id { get; init; }

    /// <summary>The client's path id the subflow belongs to.</summary>
    public required int PathId { get; init; }

    public string? LocalEndPoint { get; init; }

    public string? RemoteEndPoint { get; init; }

    /// <summary>active, suspected or dead.</summary>
    public required string State { get; init; }

    public bool IsBackup { get; init; }

    /// <summary>Smoothed data-level RTT and its variation, microseconds (<c>RTT</c>, <c>RTT_VAR</c>).</summary>
    public long RttMicroseconds { get; init; }

    public long RttVarMicroseconds { get; init; }

    public long MinRttMicroseconds { get; init; }

    /// <summary>One-way delay estimates, microseconds (<c>DELAY_OUT</c>, <c>DELAY_IN</c>).</summary>
    public long DelayOutMicroseconds { get; init; }

    public long DelayInMicroseconds { get; init; }

    /// <summary>The engine's congestion window, packets (<c>CWND</c>).</summary>
    public long CongestionWindow { get; init; }

    public long InFlight { get; init; }

    public long Queued { get; init; }

    /// <summary>Payload bytes written to the subflow, every copy counted.</summary>
    public long BytesSent { get; init; }

    /// <summary>Payload bytes acknowledged whose delivery is attributed to this subflow.</summary>
    public long BytesAcked { get; init; }

    /// <summary>Payload bytes this subflow sent that had been sent before (redundancy and retransmission).</summary>
    public long RetransmittedBytes { get; init; }

    /// <summary>Packets counted lost: data-level (reinjected after a timeout) plus the kernel's count.</summary>
    public long LostPackets { get; init; }

    /// <summary>Bytes sent and acknowledged over the last second (<c>BW_OUT_SEND</c>, <c>BW_OUT_ACK</c>).</summary>
    public long SendBytesLastSecond { get; init; }

    public long AckedBytesLastSecond { get; init; }

    public long BytesReceived { get; init; }

    /// <summary>How often the data-level timeout suspected the subflow (and took it out of SUBFLOWS until it answered).</summary>
    public long TimesSuspected { get; init; }

    /// <summary>The kernel's own view of the subflow's TCP connection (<c>TCP_INFO</c>): to the next hop only, when a relay or middlebox ends it.</summary>
    public long KernelRttMicroseconds { get; init; }

    public long KernelCongestionWindow { get; init; }

    /// <summary>The kernel's congestion state: open, disorder, cwr, recovery or loss.</summary>
    public string? KernelState { get; init; }
}
