namespace ProgMp.Compiler.Binding;

/// <summary>A property or operation of a type (LANGUAGE.md, "Packet properties", "Subflow properties", "List operations").</summary>
internal sealed record MemberInfo(
    string Name,
    MemberKind Kind,
    MemberParameter Parameter,
    BoundType ResultType,
    bool IsOperation,
    PacketProperty PacketProperty = default,
    SubflowProperty SubflowProperty = default,
    ListOperation ListOperation = default,
    LambdaOperation LambdaOperation = default)
{
    public bool IsStatement => Kind == MemberKind.Statement;
}
