namespace ProgMp.Engine.Subflows;

/// <summary>Where a subflow is in its life (DESIGN.md, execution contract: suspected, then dead).</summary>
internal enum SubflowState
{
    /// <summary>Established and answering: in <c>SUBFLOWS</c>.</summary>
    Active,

    /// <summary>Data or a ping went unanswered past the data-level timeout: out of <c>SUBFLOWS</c>, what it carried is in RQ, and it comes back when it answers.</summary>
    Suspected,

    /// <summary>Its socket failed or it stayed silent too long: closed for good.</summary>
    Dead,
}
