namespace ProgMp.Compiler.Interpretation;

/// <summary>What an <see cref="InterpreterValue"/> holds. <see cref="Null"/> is the default, so <c>default</c> is NULL.</summary>
internal enum InterpreterValueKind
{
    Null,
    Integer,
    Boolean,
    Subflow,
    Packet,
    PacketList,
    SubflowList,
}
