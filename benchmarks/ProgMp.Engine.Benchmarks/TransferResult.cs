namespace ProgMp.Engine.Benchmarks;

/// <summary>A timed transfer's goodput, and what the process spent meanwhile per byte carried.</summary>
/// <param name="Mbit">The receiver's goodput from its first to its last byte.</param>
/// <param name="AllocatedPerMiB">Bytes the whole process (both ends) allocated per MiB received: 0 when nothing allocates per packet.</param>
/// <param name="CpuSecondsPerGB">CPU time of the whole process (both ends, kernel included) per GB received: what the transfer costs whatever else the machine runs.</param>
internal readonly record struct TransferResult(double Mbit, double AllocatedPerMiB, double CpuSecondsPerGB);
