namespace ProgMp.Cli.Compare;

/// <summary>
/// A validated scenario: emulated paths, events over time and the workloads that run together over
/// them for <see cref="Duration"/>. <see cref="Source"/> is the file name diagnostics and outputs use.
/// </summary>
internal sealed record Scenario(string Name, string Description, TimeSpan Duration, IReadOnlyList<ScenarioPath> Paths, IReadOnlyList<ScenarioEvent> Events, IReadOnlyList<WorkloadSpec> Workloads, string Source)
{
    /// <summary>
    /// The same scenario with its duration, event times and bulk sizes multiplied by <paramref name="factor"/>
    /// (a sized transfer keeps its share of the longer run); delays, rates, the other workloads' sizes,
    /// gaps and intervals are the network and the application, and stay.
    /// </summary>
    public Scenario Scale(double factor) => factor == 1 ? this : this with
    {
        Duration = Duration * factor,
        Events = Events.Select(e => e with { At = e.At * factor }).ToList(),
        Workloads = Workloads.Select(w => w.Bytes is { } bytes ? w with { Bytes = Math.Max(1, (long)(bytes * factor)) } : w).ToList(),
    };

    /// <summary>Registers set on every stream of the run at both ends before its first byte (register number 1-6, value): how a scenario steers a scheduler that reads them.</summary>
    public IReadOnlyList<KeyValuePair<int, long>> Registers { get; init; } = [];

    /// <summary>The receiver's window per stream, bytes (<see cref="ProgMp.Engine.MultipathOptions.ReceiveWindow"/> at both ends); null for the engine's default.</summary>
    public int? ReceiveWindow { get; init; }

    /// <summary>The same scenario running <paramref name="workloads"/> instead of its own.</summary>
    public Scenario WithWorkloads(IReadOnlyList<WorkloadSpec> workloads) => this with { Workloads = workloads };
}
