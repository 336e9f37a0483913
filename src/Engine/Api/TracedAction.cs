using System.Globalization;

namespace ProgMp.Engine;

/// <summary>
/// One step of a traced decision, in the order the program made it. Which members are set depends on
/// <see cref="Kind"/>: a packet's <see cref="Seq"/> and <see cref="Length"/> for PUSH, DROP and POP,
/// <see cref="SubflowId"/> for PUSH and SET_USER, <see cref="Queue"/> and <see cref="PutBack"/> for POP, <see cref="Register"/>
/// for SET, <see cref="Value"/> for SET and SET_USER, <see cref="Text"/> for PRINT.
/// </summary>
public sealed record TracedAction
{
    /// <summary>Which statement this step was; it says which other members are set.</summary>
    public required TracedActionKind Kind { get; init; }

    /// <summary>The packet's data sequence number (its first byte).</summary>
    public long? Seq { get; init; }

    /// <summary>The packet's length in bytes.</summary>
    public long? Length { get; init; }

    /// <summary>The subflow pushed to, or whose USER value was set.</summary>
    public long? SubflowId { get; init; }

    /// <summary>The queue a POP took the packet from: Q, QU or RQ.</summary>
    public string? Queue { get; init; }

    /// <summary>For a POP: true when its packet was neither pushed nor dropped, so the engine put it back after the invocation.</summary>
    public bool? PutBack { get; init; }

    /// <summary>The register SET wrote, 1 to 6.</summary>
    public int? Register { get; init; }

    /// <summary>The value SET or SET_USER wrote.</summary>
    public long? Value { get; init; }

    /// <summary>What PRINT printed.</summary>
    public string? Text { get; init; }

    /// <summary>The step as the trace table shows it, like <c>PUSH 2800+1400 -> 1</c> (sequence number + length -> subflow id).</summary>
    public override string ToString() => Kind switch
    {
        TracedActionKind.Push => $"PUSH {Packet()} -> {Number(SubflowId)}",
        TracedActionKind.Drop => $"DROP {Packet()}",
        TracedActionKind.Pop => $"POP {Queue} {Number(Seq)}{(PutBack == true ? " (put back)" : "")}",
        TracedActionKind.Set => $"SET R{Number(Register)} = {Number(Value)}",
        TracedActionKind.SetUser => $"SET_USER {Number(SubflowId)} = {Number(Value)}",
        TracedActionKind.Print => $"PRINT \"{Text}\"",
        _ => Kind.ToString(),
    };

    private string Packet() => $"{Number(Seq)}+{Number(Length)}";

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";
}
