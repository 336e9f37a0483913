namespace ProgMp.Cli.Compare;

/// <summary>One run's figures; null where the scenario's workloads do not measure it (docs/compare.md, "Metrics").</summary>
internal sealed record RunMetrics
{
    public double? GoodputMbit { get; init; }

    public double? FctP50Ms { get; init; }

    public double? FctP99Ms { get; init; }

    public double? RttP50Ms { get; init; }

    public double? RttP99Ms { get; init; }

    public double? RttMaxMs { get; init; }

    public double? CbrErrorPercent { get; init; }

    public double? CbrGapMs { get; init; }

    public double? PageP50Ms { get; init; }

    public double? StallMs { get; init; }

    public double? ReorderWaitMs { get; init; }

    public double? ReorderWaitMaxMs { get; init; }

    public double? WirePerDelivered { get; init; }

    public double? BackupSharePercent { get; init; }

    public double? ReinjectedBytes { get; init; }

    public double? SchedulerInvocations { get; init; }
}
