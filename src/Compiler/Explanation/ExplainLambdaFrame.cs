using ProgMp.Compiler.Binding;
using ProgMp.Compiler.Interpretation;

namespace ProgMp.Compiler.Explanation;

/// <summary>A FILTER, MIN, MAX or SUM under way: the lambda's value for each element so far.</summary>
internal sealed class ExplainLambdaFrame(BoundLambdaOperation operation, InterpreterValue list)
{
    public BoundLambdaOperation Operation { get; } = operation;

    public InterpreterValue List { get; } = list;

    /// <summary>Element, the lambda's value for it, and for a FILTER that left it out, why.</summary>
    public List<(InterpreterValue Element, InterpreterValue Value, string? Reason)> Elements { get; } = [];
}
