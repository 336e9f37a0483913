namespace ProgMp.Cli.Compare;

/// <summary>
/// One workload line of a scenario with every parameter resolved (defaults filled in); which
/// parameters mean something depends on <see cref="Kind"/> (docs/compare.md lists them).
/// </summary>
internal sealed record WorkloadSpec(WorkloadKind Kind, int Line)
{
    /// <summary>Bulk: bytes to send, or null to send for the scenario's whole duration.</summary>
    public long? Bytes { get; init; }

    /// <summary>Short flows and web: the response sizes are drawn log-uniformly from this range.</summary>
    public long MinBytes { get; init; }

    public long MaxBytes { get; init; }

    /// <summary>Short flows and web: the pause after one flow or page completes before the next starts.</summary>
    public TimeSpan Gap { get; init; }

    /// <summary>Constant bit rate: the rate, Mbit/s.</summary>
    public double RateMbitPerSecond { get; init; }

    /// <summary>Constant bit rate: between frames; interactive: between messages.</summary>
    public TimeSpan Interval { get; init; }

    /// <summary>Interactive: bytes per message.</summary>
    public long MessageBytes { get; init; }

    /// <summary>Web: objects per page, each on its own stream, all requested at once.</summary>
    public int Objects { get; init; }

    /// <summary>The name used in scenario files and outputs (<c>short-flows</c>).</summary>
    public string Name => NameOf(Kind);

    public static string NameOf(WorkloadKind kind) => kind switch
    {
        WorkloadKind.Bulk => "bulk",
        WorkloadKind.ShortFlows => "short-flows",
        WorkloadKind.ConstantBitRate => "cbr",
        WorkloadKind.Interactive => "interactive",
        _ => "web",
    };
}
