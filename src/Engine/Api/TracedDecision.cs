using System.Globalization;

namespace ProgMp.Engine;

/// <summary>
/// One invocation of a stream's scheduler as the decision trace kept it: what the program saw (the
/// queues, the registers before it ran, the subflows in <c>SUBFLOWS</c>) and what it did, in order.
/// At most <see cref="DecisionTrace.MaxSubflows"/> subflows and <see cref="DecisionTrace.MaxActions"/>
/// actions are kept per decision; the rest are counted in <see cref="SubflowsOmitted"/> and <see cref="ActionsOmitted"/>.
/// </summary>
public sealed record TracedDecision
{
    /// <summary>The stream's invocation number: 1 for its scheduler's first decision.</summary>
    public required long Invocation { get; init; }

    /// <summary>When the decision was made (UTC, microsecond resolution, from the engine's monotonic clock).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The name of the program that decided.</summary>
    public required string Scheduler { get; init; }

    /// <summary>Why the engine invoked the program: the stream's turn, or again within it.</summary>
    public required DecisionCause Cause { get; init; }

    /// <summary>Packets in Q (not yet taken by the scheduler) when the program started.</summary>
    public int Q { get; init; }

    /// <summary>Packets in QU (taken, not yet acknowledged) when the program started.</summary>
    public int QU { get; init; }

    /// <summary>Packets in RQ (to be sent again) when the program started.</summary>
    public int RQ { get; init; }

    /// <summary>The data sequence number of <c>Q.TOP</c>, or null when Q was empty.</summary>
    public long? QTopSeq { get; init; }

    /// <summary>The data sequence number of <c>RQ.TOP</c>, or null when RQ was empty.</summary>
    public long? RqTopSeq { get; init; }

    /// <summary>The first data sequence number beyond the peer's receive window: <c>HAS_WINDOW_FOR(p)</c> needs p to end at or before it.</summary>
    public long WindowEnd { get; init; }

    /// <summary>R1 to R6 as the program found them.</summary>
    public required IReadOnlyList<long> Registers { get; init; }

    /// <summary><c>SUBFLOWS</c>, in the order the program saw them.</summary>
    public required IReadOnlyList<TracedSubflow> Subflows { get; init; }

    /// <summary>Subflows in <c>SUBFLOWS</c> beyond those kept.</summary>
    public int SubflowsOmitted { get; init; }

    /// <summary>What the program did, in order.</summary>
    public required IReadOnlyList<TracedAction> Actions { get; init; }

    /// <summary>Actions beyond those kept.</summary>
    public int ActionsOmitted { get; init; }

    /// <summary>DROPs of never-sent data the engine refused after the invocation (the packets went back to Q).</summary>
    public int RefusedDrops { get; init; }

    /// <summary>The decision on one line, as a row of the trace table.</summary>
    public override string ToString() => string.Join("  ", Cells());

    /// <summary>The columns of <see cref="DecisionTrace.ToString"/>'s table.</summary>
    internal static readonly string[] Headers = ["time", ">invocation", "scheduler", "why", ">Q/QU/RQ", "subflows (id: rtt in flight+queued/cwnd)", "did"];

    internal string[] Cells()
    {
        var subflows = string.Join(", ", Subflows) + More(SubflowsOmitted);
        var did = Actions.Count == 0 ? "nothing" : string.Join(", ", Actions) + More(ActionsOmitted);
        if (RefusedDrops > 0)
        {
            did += string.Create(CultureInfo.InvariantCulture, $"; {RefusedDrops} DROP refused");
        }

        return
        [
            Time.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
            Invocation.ToString(CultureInfo.InvariantCulture),
            Scheduler,
            Cause switch
            {
                DecisionCause.Pushed => "again: pushed",
                DecisionCause.ChangedState => "again: state",
                _ => "turn",
            },
            string.Create(CultureInfo.InvariantCulture, $"{Q}/{QU}/{RQ}"),
            subflows.Length == 0 ? "none" : subflows,
            did,
        ];
    }

    private static string More(int omitted) => omitted > 0 ? string.Create(CultureInfo.InvariantCulture, $" (+{omitted} more)") : "";
}
