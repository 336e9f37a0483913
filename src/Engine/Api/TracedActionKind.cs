namespace ProgMp.Engine;

/// <summary>What one step of a traced decision did.</summary>
public enum TracedActionKind
{
    /// <summary><c>s.PUSH(p)</c>: the packet was handed to a subflow.</summary>
    Push,

    /// <summary><c>DROP(p)</c>.</summary>
    Drop,

    /// <summary><c>POP()</c> on Q, QU or RQ (or a FILTER of one): the packet left that queue.</summary>
    Pop,

    /// <summary><c>SET(Rn, v)</c>.</summary>
    Set,

    /// <summary><c>s.SET_USER(v)</c>.</summary>
    SetUser,

    /// <summary><c>PRINT</c>, as far as the engine's print rate let it through.</summary>
    Print,
}
