using ProgMp.Engine.Limits;

namespace ProgMp.Engine;

/// <summary>
/// The bounds on what a peer can make the engine spend (DESIGN.md: every resource has one), and how
/// often each was reached. One instance serves every session of the host that owns the options; a
/// peer that crosses a bound loses its session or subflow, everyone else is untouched.
/// </summary>
public sealed class MultipathLimits
{
    private readonly LimitCounters _counters = new();

    /// <summary>
    /// Stream resets a session keeps to send again until the peer is known to have them (a reset
    /// travels once and would be lost with a subflow that dies); beyond it the oldest is forgotten,
    /// and the peer hears that reset again only if it sends on that stream.
    /// </summary>
    public int PendingResetsPerSession { get; init; } = 1024;

    /// <summary>How many times <paramref name="limit"/> was reached since the host started.</summary>
    public long Hits(ResourceLimit limit) => _counters.Count(limit);

    /// <summary>Every limit with the times it was reached, in the order of <see cref="ResourceLimit"/>.</summary>
    public IReadOnlyList<KeyValuePair<ResourceLimit, long>> AllHits => _counters.Snapshot();

    internal LimitCounters Counters => _counters;
}
