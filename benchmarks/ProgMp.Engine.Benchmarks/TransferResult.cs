namespace ProgMp.Engine.Benchmarks;

/// <summary>A timed transfer's goodput and what the process allocated meanwhile, per MiB carried.</summary>
/// <param name="Mbit">The receiver's goodput from its first to its last byte.</param>
/// <param name="AllocatedPerMiB">Bytes the whole process (both ends) allocated per MiB received: 0 when nothing allocates per packet.</param>
internal readonly record struct TransferResult(double Mbit, double AllocatedPerMiB);
