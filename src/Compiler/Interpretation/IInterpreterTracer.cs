using ProgMp.Compiler.Binding;

namespace ProgMp.Compiler.Interpretation;

/// <summary>
/// Watches a <see cref="TreeWalker"/> run: every statement reached, every expression's value, each
/// element a lambda saw. The walker calls it in the language's own evaluation order, so a tracer sees
/// exactly what happened; without one the walker pays a null check per node and nothing else.
/// </summary>
/// <remarks>A tracer only observes: it must not change the context or the values it is given.</remarks>
internal interface IInterpreterTracer
{
    /// <summary>A statement other than a block is about to run.</summary>
    void StatementStarting(BoundStatement statement);

    /// <summary>The statement has run (also when a RETURN inside it ended the invocation).</summary>
    void StatementFinished(BoundStatement statement);

    /// <summary>An expression was evaluated; its operands were reported before it.</summary>
    void Evaluated(BoundExpression expression, in InterpreterValue value);

    /// <summary>FILTER, MIN, MAX or SUM starts on a list that is not NULL.</summary>
    void LambdaStarting(BoundLambdaOperation operation, in InterpreterValue list);

    /// <summary>The lambda's body gave <paramref name="value"/> for <paramref name="element"/>.</summary>
    void LambdaElement(BoundLambdaOperation operation, in InterpreterValue element, in InterpreterValue value);

    /// <summary>A FOREACH body is about to run with its variable set to <paramref name="element"/>.</summary>
    void ForeachIteration(BoundForeach statement, in InterpreterValue element);

    /// <summary>
    /// PUSH, SET_USER, DROP, SET or PRINT did nothing because <paramref name="nullExpression"/>, its
    /// target or its argument, is NULL.
    /// </summary>
    void NullSkipped(BoundStatement statement, BoundExpression nullExpression);
}
