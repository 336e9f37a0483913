namespace ProgMp.Engine;

/// <summary>A session's figures: every live subflow and every open stream.</summary>
public sealed record SessionStatistics
{
    public required string Id { get; init; }

    public bool IsClient { get; init; }

    public required IReadOnlyList<SubflowStatistics> Subflows { get; init; }

    public required IReadOnlyList<StreamStatistics> Streams { get; init; }

    public long SchedulerInvocations { get; init; }

    public long RefusedDrops { get; init; }
}
