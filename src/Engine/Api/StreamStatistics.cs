using System.Text;

namespace ProgMp.Engine;

/// <summary>
/// One stream's figures at one moment: both directions, its scheduler and what it decided
/// (<see cref="MultipathStream.GetStatistics"/>). Byte counts are payload, from the stream's start.
/// </summary>
public sealed record StreamStatistics
{
    /// <summary>The stream's id within its session.</summary>
    public required uint Id { get; init; }

    /// <summary>The name of the scheduler the stream runs now.</summary>
    public required string Scheduler { get; init; }

    /// <summary>Bytes the application wrote to the stream.</summary>
    public long BytesWritten { get; init; }

    /// <summary>Bytes written that the peer acknowledged at the data level (it holds them).</summary>
    public long BytesAcked { get; init; }

    /// <summary>Bytes the application read from the stream.</summary>
    public long BytesRead { get; init; }

    /// <summary>Bytes handed to a subflow again after an earlier copy.</summary>
    public long RetransmittedBytes { get; init; }

    /// <summary>Bytes the engine put in RQ because their subflows failed or timed out.</summary>
    public long ReinjectedBytes { get; init; }

    /// <summary>Received bytes that waited in the reorder buffer for a hole to fill.</summary>
    public long ReorderedBytes { get; init; }

    /// <summary>How long <see cref="ReorderedBytes"/> waited, on average per byte, in milliseconds.</summary>
    public double MeanReorderWaitMilliseconds { get; init; }

    /// <summary>The longest any received byte waited in the reorder buffer, in milliseconds.</summary>
    public double MaxReorderWaitMilliseconds { get; init; }

    /// <summary>Received bytes dropped as copies of bytes already there.</summary>
    public long DuplicateBytesReceived { get; init; }

    /// <summary>How often the stream's scheduler ran.</summary>
    public long SchedulerInvocations { get; init; }

    /// <summary>Drops of unsent data the engine refused (the packets went back to Q).</summary>
    public long RefusedDrops { get; init; }

    /// <summary>The registers R1 to R6, in that order.</summary>
    public required IReadOnlyList<long> Registers { get; init; }

    /// <summary>Packets in Q: written, not yet taken by the scheduler.</summary>
    public long QueuedPackets { get; init; }

    /// <summary>Packets in QU: sent, not yet acknowledged at the data level.</summary>
    public long UnacknowledgedPackets { get; init; }

    private bool PrintMembers(StringBuilder builder) => StatisticsText.AppendMembers(this, builder);
}
