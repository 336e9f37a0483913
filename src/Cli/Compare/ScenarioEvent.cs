namespace ProgMp.Cli.Compare;

/// <summary>
/// A scenario event: at a time since the start, something happens to a path. For <see cref="ScenarioEventKind.Change"/>
/// the new settings of each direction (null: unchanged).
/// </summary>
internal sealed record ScenarioEvent(TimeSpan At, string Path, ScenarioEventKind Kind, int Line)
{
    public double? RateOut { get; init; }

    public double? RateIn { get; init; }

    public TimeSpan? DelayOut { get; init; }

    public TimeSpan? DelayIn { get; init; }

    public long? QueueBytes { get; init; }

    /// <summary>The event as the plots label it, e.g. <c>wifi rate 5mbit</c> or <c>wifi reset</c>.</summary>
    public string Label { get; init; } = "";
}
