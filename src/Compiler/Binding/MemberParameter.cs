namespace ProgMp.Compiler.Binding;

/// <summary>What an operation takes in its parentheses.</summary>
internal enum MemberParameter
{
    None,
    Lambda,
    Subflow,
    Packet,
    Integer,
}
