namespace ProgMp.Cli.Compare;

/// <summary>
/// One scheduler on one scenario, one repeat: its figures, what the plots need (the delivered-bytes
/// series and the raw samples, empty unless plots were asked for, so that a long compare does not
/// keep them all), and <see cref="Problem"/> when it did not finish cleanly (null when it did).
/// </summary>
internal sealed record RunResult(string Scheduler, string Scenario, int Repeat, RunMetrics Metrics, string? Problem)
{
    /// <summary>Seconds since the start, at each sample of <see cref="DeliveredBytes"/>.</summary>
    public IReadOnlyList<double> SampleSeconds { get; init; } = [];

    /// <summary>Bytes the applications had read by each sample time.</summary>
    public IReadOnlyList<long> DeliveredBytes { get; init; } = [];

    public IReadOnlyList<double> FlowMilliseconds { get; init; } = [];

    public IReadOnlyList<double> RoundTripMilliseconds { get; init; } = [];

    public TimeSpan Elapsed { get; init; }
}
