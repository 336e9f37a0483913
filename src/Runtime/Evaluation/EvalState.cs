using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Model;

namespace ProgMp.Runtime.Evaluation;

/// <summary>A described scheduler state, ready for one invocation (LANGUAGE.md, "progmp eval").</summary>
internal sealed class EvalState
{
    public SchedulerState State { get; } = new();

    /// <summary><c>SUBFLOWS</c>: the available subflows, in the state's order.</summary>
    public SubflowList Subflows { get; } = new();

    /// <summary>Every subflow of the state by id, available or not.</summary>
    public Dictionary<long, SubflowView> SubflowsById { get; } = [];

    /// <summary>One bit per subflow of the state, for <c>SENT_ON_ALL</c>.</summary>
    public ulong SessionMask { get; set; }

    public long TimeMs { get; set; }

    /// <summary>What <c>RANDOM</c> returns, in order, starting again when used up.</summary>
    public IReadOnlyList<long> Random { get; set; } = [4];
}
