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
    /// How long a client of the local proxy's SOCKS port may take from its connection to the end of
    /// its request (a slowloris client is dropped after this, however slowly it keeps sending).
    /// </summary>
    public TimeSpan ProxyHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Connections on the local proxy's SOCKS and forward ports that are not relaying yet (in their
    /// SOCKS handshake, or waiting for a session or the remote proxy's answer), at once; a connection
    /// beyond this is closed as soon as it is accepted.
    /// </summary>
    public int MaxProxyHandshakes { get; init; } = 256;

    /// <summary>How long a control endpoint client may take to send a request's headers (the first request's and each later one's).</summary>
    public TimeSpan ControlRequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a control endpoint connection may stay idle: before its first request's first byte, and between requests.</summary>
    public TimeSpan ControlKeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The slowest a control request's body may arrive, in bytes per second, once <see cref="ControlRequestBodyGracePeriod"/> has passed; a slower one is cut off.</summary>
    public double ControlMinRequestBodyBytesPerSecond { get; init; } = 240;

    /// <summary>How long a control request's body may arrive slower than <see cref="ControlMinRequestBodyBytesPerSecond"/>.</summary>
    public TimeSpan ControlRequestBodyGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Connections the control endpoint holds at once; more are closed at once.</summary>
    public long MaxControlConnections { get; init; } = 32;

    /// <summary>How many times <paramref name="limit"/> was reached since the host started.</summary>
    public long Hits(ResourceLimit limit) => _counters.Count(limit);

    /// <summary>Every limit with the times it was reached, in the order of <see cref="ResourceLimit"/>.</summary>
    public IReadOnlyList<KeyValuePair<ResourceLimit, long>> AllHits => _counters.Snapshot();

    internal LimitCounters Counters => _counters;
}
