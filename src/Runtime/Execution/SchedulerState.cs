using ProgMp.Runtime.Model;

namespace ProgMp.Runtime.Execution;

/// <summary>
/// What a stream owns across invocations (DESIGN.md, execution contract): its three queues, registers
/// R1–R6 and the subflow USER values.
/// </summary>
internal sealed class SchedulerState
{
    public const int RegisterCount = 6;

    public PacketList Q { get; } = new(PacketListKind.Q);

    public PacketList QU { get; } = new(PacketListKind.QU);

    public PacketList RQ { get; } = new(PacketListKind.RQ);

    /// <summary>R1..R6 at indexes 0..5.</summary>
    public long[] Registers { get; } = new long[RegisterCount];

    /// <summary>Subflow USER values by subflow slot: per stream, as ProgMP keeps them per connection.</summary>
    public long[] SubflowUser { get; } = new long[SubflowView.MaxSlots];
}
