using ProgMp.Engine.Reordering;
using ProgMp.Engine.Accounting;
using ProgMp.Engine.Tracing;
using ProgMp.Engine.Wire;
using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Registry;

namespace ProgMp.Engine.Streams;

/// <summary>
/// One stream of a session, both directions: what the scheduler owns (<see cref="State"/>: Q, QU, RQ,
/// registers, subflow user values) and the receive side's reorder buffer. Guarded by the session's lock.
/// </summary>
internal sealed partial class StreamCore
{
    // Where the stream's packets are counted when they are acknowledged or abandoned: the session's.
    private readonly SendLedger _ledger;

    public StreamCore(uint id, bool openedLocally, Destination destination, ReorderBuffer receive, SendLedger ledger, long initialPeerWindow, SchedulerSlot scheduler, long sendBufferLimit)
    {
        Id = id;
        OpenedLocally = openedLocally;
        Destination = destination;
        Receive = receive;
        _ledger = ledger;
        PeerRightEdge = initialPeerWindow;
        Scheduler = scheduler;
        _writtenEdge = Receive.RightEdge;
        _writerWakeUnacked = sendBufferLimit - (sendBufferLimit / WriterWakeFraction);
    }

    public uint Id { get; }

    public bool OpenedLocally { get; }

    /// <summary>Where the opener wants the stream connected (the proxy's case), or none.</summary>
    public Destination Destination { get; private set; }

    public SchedulerState State { get; } = new();

    /// <summary>The registry slot of the stream's scheduler: a replacement by name reaches the stream at its next decision.</summary>
    public SchedulerSlot Scheduler { get; set; }

    public ReorderBuffer Receive { get; }

    /// <summary>The peer's right edge for our data: nothing at or beyond it may be sent.</summary>
    public long PeerRightEdge { get; private set; }

    /// <summary>Our STREAM_OPEN was confirmed by the peer's first DATA_ACK (or the peer opened the stream).</summary>
    public bool OpenConfirmed { get; set; }

    /// <summary>For a stream the peer opened: its STREAM_OPEN arrived, so data may be delivered and acknowledged.</summary>
    public bool OpenReceived { get; set; }

    /// <summary>Handed to the application (accept queue) already.</summary>
    public bool Announced { get; set; }

    /// <summary>The reset that ended the stream, if any, and whether the peer sent it.</summary>
    public StreamResetReason? ResetReason { get; private set; }

    public bool ResetByPeer { get; private set; }

    public bool IsReset => ResetReason.HasValue;

    /// <summary>The session ended after this stream's incoming direction arrived whole: the application may still read it to its end.</summary>
    public bool ReceiveOutlivesReset { get; set; }

    /// <summary>Signalled when bytes become readable, the stream ends, or it is reset.</summary>
    public AsyncSignal Readable { get; } = new();

    /// <summary>
    /// Signalled when a quarter of the send buffer is free (see <see cref="WriterWakeFraction"/>), when
    /// everything or the FIN is acknowledged, or when the stream is reset.
    /// </summary>
    public AsyncSignal Writable { get; } = new();

    /// <summary>The application closed its reading side: data still arrives and is acknowledged, then dropped.</summary>
    public bool ReadClosed { get; set; }

    /// <summary>In the session's round of streams with data to schedule.</summary>
    public bool IsActive { get; set; }

    /// <summary>Deficit round robin's byte credit for this turn.</summary>
    public long Deficit { get; set; }

    /// <summary>The stream's decision trace once an operator enabled it (kept, stopped, after it was disabled); null before.</summary>
    public DecisionRecorder? Trace { get; set; }

    /// <summary>Both directions are over: our FIN acknowledged and the peer's FIN delivered, or a reset.</summary>
    public bool IsFinished => IsReset || (FinAcked && Receive.FinReceived);

    public void Complete(StreamResetReason reason, bool byPeer)
    {
        if (IsReset)
        {
            return;
        }

        ResetReason = reason;
        ResetByPeer = byPeer;
        Readable.Close();
        Writable.Close();
    }

    public void SetDestination(Destination destination) => Destination = destination;

    public override string ToString() => $"stream {Id}";
}
