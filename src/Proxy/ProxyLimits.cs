namespace ProgMp.Proxy;

/// <summary>
/// The local proxy's own bounds on what its legacy clients can make it spend. They belong to the
/// host, not to the engine's options; crossing one is counted with the engine's bounds
/// (<c>MultipathLimits.CountHit</c>) so one report shows them all.
/// </summary>
internal sealed record ProxyLimits
{
    /// <summary>
    /// How long a client of the SOCKS port may take from its connection to the end of its request (a
    /// slowloris client is dropped after this, however slowly it keeps sending).
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Connections on the SOCKS and forward ports that are not relaying yet (in their SOCKS handshake,
    /// or waiting for a session or the remote proxy's answer), at once; one beyond this is closed as
    /// soon as it is accepted.
    /// </summary>
    public int MaxHandshakes { get; init; } = 256;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero, nameof(HandshakeTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHandshakes, 1, nameof(MaxHandshakes));
    }
}
