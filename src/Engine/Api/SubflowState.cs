namespace ProgMp.Engine;

/// <summary>Where a subflow is in its life: active, suspected while silent, dead once closed (<see cref="SubflowStatistics.State"/>).</summary>
public enum SubflowState
{
    /// <summary>Established and answering: in <c>SUBFLOWS</c>.</summary>
    Active,

    /// <summary>Data or a ping went unanswered past the data-level timeout: out of <c>SUBFLOWS</c>, what it carried is in RQ, and it comes back when it answers.</summary>
    Suspected,

    /// <summary>Its socket failed or it stayed silent too long: closed for good.</summary>
    Dead,
}
