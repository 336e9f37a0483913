namespace ProgMp.Engine;

/// <summary>One stream's figures: both directions, its scheduler and what it decided.</summary>
public sealed record StreamStatistics
{
    public required uint Id { get; init; }

    public required string Scheduler { get; init; }

    public long BytesWritten { get; init; }

    public long BytesAcked { get; init; }

    public long BytesRead { get; init; }

    /// <summary>Bytes handed to a subflow again after an earlier copy.</summary>
    public long RetransmittedBytes { get; init; }

    /// <summary>Bytes the engine put in RQ because their subflows failed or timed out.</summary>
    public long ReinjectedBytes { get; init; }

    /// <summary>Received bytes that waited in the reorder buffer for a hole to fill, and how long.</summary>
    public long ReorderedBytes { get; init; }

    public double MeanReorderWaitMilliseconds { get; init; }

    public double MaxReorderWaitMilliseconds { get; init; }

    /// <summary>Received bytes dropped as copies of bytes already there.</summary>
    public long DuplicateBytesReceived { get; init; }

    public long SchedulerInvocations { get; init; }

    /// <summary>Drops of unsent data the engine refused (the packets went back to Q).</summary>
    public long RefusedDrops { get; init; }

    public required IReadOnlyList<long> Registers { get; init; }

    public long QueuedPackets { get; init; }

    public long UnacknowledgedPackets { get; init; }
}
