using ProgMp.Emulation;

namespace ProgMp.Cli.Compare;

/// <summary>One direction of a scenario's path: a rate, a one-way delay and, when given, the bottleneck queue (else the emulator's default for the rate).</summary>
internal sealed record LinkSettings(double RateMbitPerSecond, TimeSpan Delay, long? QueueBytes)
{
    public PathProfile ToProfile() => new(Delay, RateMbitPerSecond, QueueBytes is { } queue ? (int)queue : null);
}
