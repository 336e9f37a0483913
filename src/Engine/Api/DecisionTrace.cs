using System.Globalization;
using System.Text;

namespace ProgMp.Engine;

/// <summary>
/// A copy of a stream's decision trace (<see cref="MultipathStream.EnableDecisionTrace"/>): the last
/// decisions its scheduler made, oldest first. It does not change when the stream decides again.
/// </summary>
public sealed record DecisionTrace
{
    /// <summary>Decisions a trace keeps unless told otherwise.</summary>
    public const int DefaultCapacity = 256;

    /// <summary>The most decisions a trace keeps (each takes about 2 KB).</summary>
    public const int MaxCapacity = 4096;

    /// <summary>Subflows kept per decision; more are counted in <see cref="TracedDecision.SubflowsOmitted"/>.</summary>
    public const int MaxSubflows = 8;

    /// <summary>Actions kept per decision; more are counted in <see cref="TracedDecision.ActionsOmitted"/>.</summary>
    public const int MaxActions = 16;

    /// <summary>The trace records new decisions (it was enabled and not disabled since).</summary>
    public required bool IsRecording { get; init; }

    /// <summary>How many decisions the trace keeps; 0 when it was never enabled.</summary>
    public required int Capacity { get; init; }

    /// <summary>Decisions recorded since the trace was enabled, those no longer kept included.</summary>
    public required long Recorded { get; init; }

    /// <summary>The decisions kept (or the newest of them that were asked for), oldest first.</summary>
    public required IReadOnlyList<TracedDecision> Decisions { get; init; }

    /// <summary>A line saying what the trace holds, then one aligned row per decision.</summary>
    public override string ToString()
    {
        if (Capacity == 0)
        {
            return "never enabled\n";
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{(IsRecording ? "recording" : "stopped")}: {Recorded} decisions recorded, the last {Capacity} kept, {Decisions.Count} shown");
        text.Append('\n');
        if (Decisions.Count == 0)
        {
            return text.ToString();
        }

        var rows = Decisions.Select(d => d.Cells()).Prepend(TracedDecision.Headers.Select(h => h.TrimStart('>')).ToArray()).ToList();
        var widths = new int[TracedDecision.Headers.Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                var right = TracedDecision.Headers[i].StartsWith('>');
                line.Append(right ? row[i].PadLeft(widths[i]) : row[i].PadRight(widths[i])).Append("  ");
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        return text.ToString();
    }
}
