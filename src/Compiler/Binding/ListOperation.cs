namespace ProgMp.Compiler.Binding;

internal enum ListOperation
{
    Count,
    Empty,
    Top,
    Get,
    Pop,
}
