namespace ProgMp.Compiler.Binding;

internal enum PacketProperty
{
    Seq,
    Length,
    User,
    Psh,
    SentOnAll,
}
