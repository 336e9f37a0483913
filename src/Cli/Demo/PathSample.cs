namespace ProgMp.Cli.Demo;

/// <summary>
/// One path at one sample: payload bytes its subflows sent so far (every copy, over every subflow the
/// path has had), and the figures of its current subflow, if it has one.
/// </summary>
internal sealed record PathSample
{
    public required long BytesSent { get; init; }

    public required long RetransmittedBytes { get; init; }

    /// <summary>The current subflow's id, or null.</summary>
    public long? SubflowId { get; init; }

    /// <summary>The engine's word (active, suspected, dead), or null when the path has no subflow.</summary>
    public string? SubflowState { get; init; }

    /// <summary>The emulator has the path failed.</summary>
    public bool Failed { get; init; }

    public double RttMilliseconds { get; init; }

    public long CongestionWindow { get; init; }

    public long InFlight { get; init; }

    public long Queued { get; init; }

    /// <summary>What the view shows as the path's state.</summary>
    public string State => SubflowState ?? (Failed ? "failed" : "reconnecting");
}
