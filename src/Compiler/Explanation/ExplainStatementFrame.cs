using ProgMp.Compiler.Binding;

namespace ProgMp.Compiler.Explanation;

/// <summary>A statement that has started and not yet finished, with what its report needs from before it ran.</summary>
internal sealed class ExplainStatementFrame(BoundStatement statement, int depth, int actionsBefore)
{
    public BoundStatement Statement { get; } = statement;

    /// <summary>How many statements enclose it: its lines are indented by this.</summary>
    public int Depth { get; } = depth;

    /// <summary>The context's action count when it started: the actions after that are its own.</summary>
    public int ActionsBefore { get; } = actionsBefore;

    /// <summary>Name each lambda operation by its lambda too: the statement has more than one.</summary>
    public bool LabelLambdas { get; init; }

    /// <summary>For SET: the register before, to show what it was.</summary>
    public long RegisterBefore { get; init; }

    /// <summary>For SET_USER: every subflow's USER before, by slot.</summary>
    public long[]? UsersBefore { get; init; }
}
