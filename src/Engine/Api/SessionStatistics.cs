using System.Text;

namespace ProgMp.Engine;

/// <summary>
/// A session's figures at one moment: every subflow it holds and every open stream
/// (<see cref="MultipathSession.GetStatistics"/>). <see cref="object.ToString"/> lists them all.
/// </summary>
public sealed record SessionStatistics
{
    /// <summary>The session's id, as its log lines and the control endpoint name it.</summary>
    public required string Id { get; init; }

    /// <summary>True on the side that connected (<see cref="MultipathClient"/>), false on the listener's.</summary>
    public bool IsClient { get; init; }

    /// <summary>The session's subflows, one per TCP connection, whatever their state.</summary>
    public required IReadOnlyList<SubflowStatistics> Subflows { get; init; }

    /// <summary>The streams open in the session, both those this side opened and those it accepted.</summary>
    public required IReadOnlyList<StreamStatistics> Streams { get; init; }

    /// <summary>Scheduler invocations over the session's life, all streams together.</summary>
    public long SchedulerInvocations { get; init; }

    /// <summary>Drops of unsent data the engine refused over the session's life, all streams together (the packets went back to Q).</summary>
    public long RefusedDrops { get; init; }

    private bool PrintMembers(StringBuilder builder) => StatisticsText.AppendMembers(this, builder);
}
