using ProgMp.Engine;

namespace ProgMp.Cli.Demo;

/// <summary>What a demo run measured, for the summary and the plot.</summary>
internal sealed record DemoOutcome
{
    public required DemoPlan Plan { get; init; }

    public required TransferRecorder Recorder { get; init; }

    public required ReceiveProbe Probe { get; init; }

    public required long BytesWritten { get; init; }

    public byte[]? WrittenHash { get; init; }

    /// <summary>The sending stream's figures at the end (retransmitted and reinjected bytes).</summary>
    public StreamStatistics? Sender { get; init; }

    /// <summary>The receiving stream's figures at the end (reordering, duplicates).</summary>
    public StreamStatistics? Receiver { get; init; }

    /// <summary>When the failure phase reset the first path, the emulator restored it, and a new subflow on it became active.</summary>
    public TimeSpan? FailedAt { get; init; }

    public TimeSpan? RestoredAt { get; init; }

    public TimeSpan? BackAt { get; init; }

    /// <summary>Why the transfer did not complete, or null when it did.</summary>
    public string? Problem { get; init; }

    /// <summary>Both ends finished, and the reader got exactly the bytes written.</summary>
    public bool Verified =>
        Problem is null && WrittenHash is { } written && Probe.Hash is { } read
        && Probe.BytesRead == BytesWritten && written.AsSpan().SequenceEqual(read);
}
