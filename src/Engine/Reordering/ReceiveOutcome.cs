namespace ProgMp.Engine.Reordering;

/// <summary>What <see cref="ReorderBuffer.Receive"/> made of a data frame.</summary>
internal enum ReceiveOutcome
{
    /// <summary>New bytes (or the FIN) were taken.</summary>
    Accepted,

    /// <summary>Everything in the frame was already here: a redundant or retransmitted copy.</summary>
    Duplicate,

    /// <summary>The frame reaches beyond the advertised right edge (docs/protocol.md, FlowControl).</summary>
    FlowControl,

    /// <summary>Data beyond the FIN, or a second FIN elsewhere (docs/protocol.md, FinalOffset).</summary>
    FinalOffset,

    /// <summary>The stream already holds <see cref="MultipathLimits.SegmentsPerStream"/> out-of-order segments.</summary>
    StreamSegmentLimit,

    /// <summary>The session already holds <see cref="MultipathLimits.SegmentsPerSession"/> out-of-order segments.</summary>
    SessionSegmentLimit,
}
