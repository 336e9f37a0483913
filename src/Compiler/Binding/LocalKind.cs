namespace ProgMp.Compiler.Binding;

internal enum LocalKind
{
    Var,
    Foreach,
    LambdaParameter,
}
