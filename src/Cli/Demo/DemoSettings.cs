namespace ProgMp.Cli.Demo;

/// <summary>What one live demo run does, from its command line, already validated.</summary>
internal sealed record DemoSettings
{
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(20);

    public TimeSpan Duration { get; init; } = DefaultDuration;

    public IReadOnlyList<EmulatedPathSpec> Paths { get; init; } = EmulatedPathSpec.Defaults;

    /// <summary>Extra .progmp files loaded next to the built-in library.</summary>
    public IReadOnlyList<string> SchedulerFiles { get; init; } = [];

    /// <summary>The scheduler of the first phase and of the failure and return phases.</summary>
    public string StartScheduler { get; init; } = "minRtt";

    /// <summary>The scheduler the stream is swapped to, live, in the second phase.</summary>
    public string SwapScheduler { get; init; } = "redundant";

    /// <summary>Whether the first path is reset and restored in the third and fourth phases.</summary>
    public bool Failure { get; init; } = true;

    public int PacketSize { get; init; } = 1400;

    /// <summary>Where to write the throughput plot (PNG), or null.</summary>
    public string? PlotFile { get; init; }
}
