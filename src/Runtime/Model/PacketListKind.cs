namespace ProgMp.Runtime.Model;

/// <summary>What a <see cref="PacketList"/> is: one of a stream's queues, or a value made of one.</summary>
internal enum PacketListKind
{
    /// <summary>A FILTER result or a snapshot, rented for one invocation.</summary>
    Derived,

    /// <summary>The send queue <c>Q</c>.</summary>
    Q,

    /// <summary>Taken, not yet acknowledged: <c>QU</c>.</summary>
    QU,

    /// <summary>To be sent again: <c>RQ</c>.</summary>
    RQ,
}
