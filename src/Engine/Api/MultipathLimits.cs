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
    /// Sessions a listener holds at once; a <c>SETUP</c> beyond them is refused with
    /// <c>CLOSE(ResourceLimit)</c> (<see cref="ResourceLimit.SessionsPerProcess"/>).
    /// </summary>
    public int MaxSessions { get; init; } = 256;

    /// <summary>
    /// Sessions a listener holds at once from one source address (an IPv6 /64 counts as one); a
    /// <c>SETUP</c> beyond them is refused with <c>CLOSE(ResourceLimit)</c> (<see cref="ResourceLimit.SessionsPerAddress"/>).
    /// </summary>
    public int MaxSessionsPerAddress { get; init; } = 32;

    /// <summary>
    /// Connections in their handshake (TLS, then setup or join) at once; a connection beyond them is
    /// closed at once, before any TLS work (<see cref="ResourceLimit.PendingHandshakes"/>). Each handshake
    /// ends within <see cref="MultipathOptions.HandshakeTimeout"/>, so a slowloris holds a place that long at most.
    /// </summary>
    public int MaxPendingHandshakes { get; init; } = 128;

    /// <summary>
    /// Connections from one source address (an IPv6 /64 counts as one) in their handshake at once, so
    /// that one slow or hostile host cannot take every place of <see cref="MaxPendingHandshakes"/>.
    /// </summary>
    public int MaxPendingHandshakesPerAddress { get; init; } = 16;

    /// <summary>How many times <paramref name="limit"/> was reached since the host started.</summary>
    public long Hits(ResourceLimit limit) => _counters.Count(limit);

    /// <summary>Every limit with the times it was reached, in the order of <see cref="ResourceLimit"/>.</summary>
    public IReadOnlyList<KeyValuePair<ResourceLimit, long>> AllHits => _counters.Snapshot();

    internal LimitCounters Counters => _counters;
}
