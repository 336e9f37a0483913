namespace ProgMp.Compiler.Binding;

/// <summary>The types of LANGUAGE.md, plus <see cref="Null"/> for the bare literal and <see cref="Error"/> to stop cascades.</summary>
internal enum BoundType
{
    Error,
    Null,
    Integer,
    Boolean,
    String,
    Subflow,
    SubflowList,
    Packet,
    PacketList,
}
