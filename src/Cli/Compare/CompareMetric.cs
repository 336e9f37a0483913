namespace ProgMp.Cli.Compare;

/// <summary>
/// One column of compare's outputs: its key in JSON and CSV, its label and unit in the table, how a
/// run's figure is read, and how it is printed. The one list every output walks, so they agree.
/// </summary>
internal sealed record CompareMetric(string Key, string Label, string Unit, Func<RunMetrics, double?> Select, string Format)
{
    public static IReadOnlyList<CompareMetric> All { get; } =
    [
        new("goodput_mbit", "goodput", "Mbit/s", m => m.GoodputMbit, "0.00"),
        new("fct_p50_ms", "FCT p50", "ms", m => m.FctP50Ms, "0.0"),
        new("fct_p99_ms", "FCT p99", "ms", m => m.FctP99Ms, "0.0"),
        new("page_p50_ms", "last object p50", "ms", m => m.PageP50Ms, "0"),
        new("rtt_p50_ms", "app RTT p50", "ms", m => m.RttP50Ms, "0.0"),
        new("rtt_p99_ms", "app RTT p99", "ms", m => m.RttP99Ms, "0.0"),
        new("rtt_max_ms", "app RTT max", "ms", m => m.RttMaxMs, "0.0"),
        new("cbr_error_pct", "CBR error", "%", m => m.CbrErrorPercent, "0.0"),
        new("cbr_gap_ms", "CBR longest gap", "ms", m => m.CbrGapMs, "0"),
        new("stall_ms", "longest stall", "ms", m => m.StallMs, "0"),
        new("reorder_wait_ms", "reorder wait mean", "ms", m => m.ReorderWaitMs, "0.00"),
        new("reorder_wait_max_ms", "reorder wait max", "ms", m => m.ReorderWaitMaxMs, "0.0"),
        new("wire_per_byte", "wire bytes per byte", "", m => m.WirePerDelivered, "0.00"),
        new("backup_share_pct", "on backup paths", "%", m => m.BackupSharePercent, "0.0"),
        new("reinjected_bytes", "reinjected", "B", m => m.ReinjectedBytes, "0"),
        new("scheduler_invocations", "invocations", "", m => m.SchedulerInvocations, "0"),
    ];

    /// <summary>The table's row title: label and unit.</summary>
    public string Title => Unit.Length == 0 ? Label : $"{Label} ({Unit})";
}
