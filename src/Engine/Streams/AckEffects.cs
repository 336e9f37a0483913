namespace ProgMp.Engine.Streams;

/// <summary>What a DATA_ACK changed in a stream that the session must act on.</summary>
[Flags]
internal enum AckEffects
{
    None = 0,

    /// <summary>The peer's window grew: queued packets waiting for it may go, and the scheduler may push more.</summary>
    WindowOpened = 1,

    /// <summary>The FIN was acknowledged: the stream's sending is over.</summary>
    SendCompleted = 2,
}
