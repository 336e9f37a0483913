namespace ProgMp.Compiler.Binding;

internal enum MemberKind
{
    PacketProperty,
    SubflowProperty,
    ListProperty,
    SentOn,
    HasWindowFor,
    ListGet,
    Pop,
    Lambda,
    Statement,
}
