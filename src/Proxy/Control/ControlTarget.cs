using ProgMp.Engine;

namespace ProgMp.Proxy.Control;

/// <summary>
/// What a host lets an operator steer through the control endpoint: its options (the scheduler
/// registry, the default scheduler and registers), its live sessions, and how it stops.
/// </summary>
internal sealed class ControlTarget
{
    /// <summary>The options the host's sessions run with: <see cref="MultipathOptions.Registry"/>, the default scheduler and registers.</summary>
    public required MultipathOptions Options { get; init; }

    /// <summary>The host's live sessions, asked afresh at every request.</summary>
    public required Func<IReadOnlyList<MultipathSession>> Sessions { get; init; }

    /// <summary>What closing the whole engine does; null when the host offers no such thing.</summary>
    public Action? Shutdown { get; init; }

    /// <summary>What the host is (for example "engine", "proxy local", "proxy remote"), as health reports it.</summary>
    public string Role { get; init; } = "engine";

    /// <summary>The endpoint's bounds on its HTTP clients.</summary>
    public ControlLimits Limits { get; init; } = new();
}
