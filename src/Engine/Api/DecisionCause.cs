namespace ProgMp.Engine;

/// <summary>Why the engine invoked a stream's scheduler (LANGUAGE.md, execution model: re-invocation).</summary>
public enum DecisionCause
{
    /// <summary>The stream's turn at a send opportunity: the first invocation of the turn.</summary>
    Turn,

    /// <summary>Again in the same turn, because the invocation before pushed and a subflow can take more.</summary>
    Pushed,

    /// <summary>Again in the same turn, because the invocation before changed state (POP, SET, SET_USER) without pushing.</summary>
    ChangedState,
}
