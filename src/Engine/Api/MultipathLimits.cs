using Microsoft.Extensions.Logging;
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
    /// Streams a session holds at once, opened by either side; a <c>STREAM_OPEN</c> from the peer
    /// beyond it is refused with <c>STREAM_RESET(Refused)</c> (the session goes on).
    /// </summary>
    public int StreamsPerSession { get; init; } = 1024;

    /// <summary>
    /// The window every new stream starts with, announced in <c>SETUP</c>/<c>SETUP_ACK</c>: what the
    /// peer may send on a stream before its first <c>DATA_ACK</c>, and what a stream may always be
    /// offered again once its reader has caught up. At most <see cref="MultipathOptions.ReceiveWindow"/>.
    /// </summary>
    public int InitialStreamWindow { get; init; } = 64 * 1024;

    /// <summary>
    /// Bytes a session holds for its streams at most: out-of-order and in-order bytes not yet read, of
    /// streams the application accepted or not, together. Every stream may always be offered its
    /// <see cref="InitialStreamWindow"/>; what windows grow beyond that comes out of the rest of this
    /// budget, so a peer that sends within the windows it was given never reaches it. At least
    /// <see cref="StreamsPerSession"/> × <see cref="InitialStreamWindow"/>.
    /// </summary>
    public long SessionBufferBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>
    /// Out-of-order segments one stream holds at most. A sender's segments are packet-sized, so a full
    /// default window (4 MiB of 1400-byte packets) is about 3,000; tiny segments in huge numbers end
    /// the session with <c>CLOSE(ResourceLimit)</c>.
    /// </summary>
    public int SegmentsPerStream { get; init; } = 4096;

    /// <summary>Out-of-order segments all streams of a session hold at most; past it the session ends with <c>CLOSE(ResourceLimit)</c>.</summary>
    public int SegmentsPerSession { get; init; } = 128 * 1024;

    /// <summary>
    /// Control bytes (acknowledgements, pongs, resets) queued for one subflow whose peer does not read
    /// them. Past it the engine stops reading that subflow until the queue drains.
    /// </summary>
    public int ControlBytesPerSubflow { get; init; } = 256 * 1024;

    /// <summary>How long a subflow's control queue may stay past <see cref="ControlBytesPerSubflow"/> before the subflow is closed.</summary>
    public TimeSpan ControlDrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Stream resets a session keeps to send again until the peer is known to have them (a reset
    /// travels once and would be lost with a subflow that dies); beyond it the oldest is forgotten,
    /// and the peer hears that reset again only if it sends on that stream.
    /// </summary>
    public int PendingResetsPerSession { get; init; } = 1024;

    /// <summary>
    /// Decisions the decision traces of one session's streams keep at most, together (each takes about
    /// 2 KB, all of it when its trace is enabled: the default is 8 MB a session). Counted when a trace
    /// is enabled, as the capacities of the rings its open streams hold, stopped ones too (a stopped
    /// trace keeps its ring until it is enabled again or its stream ends) and the ring being replaced
    /// not; an enable that would pass it throws <see cref="InvalidOperationException"/>. 0 allows no trace.
    /// </summary>
    public int TracedDecisionsPerSession { get; init; } = 4096;

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

    /// <summary>
    /// Counts that a host reached a bound of its own (a proxy's handshakes, say), as the engine counts
    /// its bounds: the count appears in <see cref="Hits"/> and <see cref="AllHits"/>, and
    /// <paramref name="detail"/> is logged to <paramref name="logger"/> at most once a minute per limit.
    /// </summary>
    public void CountHit(ResourceLimit limit, ILogger logger, string detail) => _counters.Hit(limit, logger, detail);

    /// <summary>The growth pool of <see cref="SessionBufferBytes"/>: what is left once every possible stream has its initial window.</summary>
    internal long SharedBufferBytes => SessionBufferBytes - ((long)StreamsPerSession * InitialStreamWindow);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSessions, 1, nameof(MaxSessions));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSessionsPerAddress, 1, nameof(MaxSessionsPerAddress));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingHandshakes, 1, nameof(MaxPendingHandshakes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingHandshakesPerAddress, 1, nameof(MaxPendingHandshakesPerAddress));
        ArgumentOutOfRangeException.ThrowIfLessThan(StreamsPerSession, 1, nameof(StreamsPerSession));
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialStreamWindow, 1, nameof(InitialStreamWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(SegmentsPerStream, 1, nameof(SegmentsPerStream));
        ArgumentOutOfRangeException.ThrowIfLessThan(SegmentsPerSession, SegmentsPerStream, nameof(SegmentsPerSession));
        ArgumentOutOfRangeException.ThrowIfLessThan(ControlBytesPerSubflow, 1024, nameof(ControlBytesPerSubflow));
        ArgumentOutOfRangeException.ThrowIfNegative(TracedDecisionsPerSession, nameof(TracedDecisionsPerSession));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ControlDrainTimeout, TimeSpan.Zero, nameof(ControlDrainTimeout));
        if (SharedBufferBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SessionBufferBytes), SessionBufferBytes, $"{nameof(SessionBufferBytes)} must hold {nameof(StreamsPerSession)} initial windows ({(long)StreamsPerSession * InitialStreamWindow} bytes).");
        }
    }
}
