namespace ProgMp.Compiler.Binding;

internal enum LambdaOperation
{
    Filter,
    Min,
    Max,
    Sum,
}
