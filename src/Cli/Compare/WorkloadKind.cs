namespace ProgMp.Cli.Compare;

/// <summary>The kinds of application traffic a scenario can drive (docs/compare.md, "Workloads").</summary>
internal enum WorkloadKind
{
    /// <summary>One stream, client to server, as fast as it goes: a given size, or for the scenario's duration.</summary>
    Bulk,

    /// <summary>Request/response pairs one after another, each on a new stream: flow completion time.</summary>
    ShortFlows,

    /// <summary>Frames at a constant bit rate, client to server: per-second delivery error and longest gap.</summary>
    ConstantBitRate,

    /// <summary>Small messages at a fixed interval, echoed by the server: application round-trip time.</summary>
    Interactive,

    /// <summary>Pages of many objects fetched over concurrent streams: time to the last object.</summary>
    Web,
}
