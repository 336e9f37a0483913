namespace ProgMp.Proxy.Control;

/// <summary>The control endpoint's bounds on its HTTP clients (Kestrel's limits), held by the host rather than the engine.</summary>
internal sealed record ControlLimits
{
    /// <summary>How long a client may take to send a request's headers (the first request's and each later one's).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a connection may stay idle: before its first request's first byte, and between requests.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The slowest a request's body may arrive, in bytes per second, once <see cref="RequestBodyGracePeriod"/> has passed; a slower one is cut off.</summary>
    public double MinRequestBodyBytesPerSecond { get; init; } = 240;

    /// <summary>How long a request's body may arrive slower than <see cref="MinRequestBodyBytesPerSecond"/>.</summary>
    public TimeSpan RequestBodyGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Connections held at once; more are closed at once.</summary>
    public long MaxConnections { get; init; } = 32;
}
