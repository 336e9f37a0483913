using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using ProgMp.Engine.Sessions;
using ProgMp.Engine.Streams;
using ProgMp.Runtime.Model;

namespace ProgMp.Engine.Subflows;

/// <summary>
/// One TCP connection of a session once its handshake is done: a send loop that writes what the
/// schedulers pushed, a receive loop that decodes frames for the session, and the figures a scheduler
/// reads (<see cref="View"/>), measured end to end at the data level (DESIGN.md).
/// </summary>
/// <remarks>
/// Everything but the socket calls runs under the session's lock (<see cref="SessionCore.Gate"/>).
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Close() cancels and disposes the stop source; a subflow has no other end.")]
internal sealed partial class Subflow
{
    private readonly SessionCore _session;
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly CancellationTokenSource _stop = new();

    public Subflow(SessionCore session, SubflowTransport transport, long id, int slot, byte localPathId, byte remotePathId, bool backup, int packetSize, long nowUs)
    {
        _session = session;
        _socket = transport.Socket;
        _stream = transport.Stream;
        _reader = transport.Reader;
        PeerId = transport.PeerId;
        var socket = _socket;
        View = new SubflowView(id, slot) { IsBackup = backup };
        LocalPathId = localPathId;
        RemotePathId = remotePathId;
        Congestion = new DeliveryRateWindow(packetSize);
        EstablishedUs = nowUs;
        LastProofUs = nowUs;
        LastSendUs = nowUs;
        DeliveredTimeUs = nowUs;
        LocalEndPoint = socket.LocalEndPoint as IPEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
    }

    public SubflowView View { get; }

    public long Id => View.Id;

    public int Slot => View.Slot;

    /// <summary>The client's path id of this subflow (0 for the session's first path).</summary>
    public byte LocalPathId { get; }

    public byte RemotePathId { get; }

    public IPEndPoint? LocalEndPoint { get; }

    /// <summary>The public id the peer proved in this subflow's TLS handshake; null in plaintext.</summary>
    public string? PeerId { get; }

    public IPEndPoint? RemoteEndPoint { get; }

    public SubflowState State { get; set; } = SubflowState.Active;

    public bool IsBackup
    {
        get => View.IsBackup;
        set => View.IsBackup = value;
    }

    public long EstablishedUs { get; }

    public RttEstimator Rtt { get; } = new();

    public DeliveryRateWindow Congestion { get; }

    /// <summary>Packets written to the socket and not yet acknowledged at the data level.</summary>
    public int InFlight { get; set; }

    /// <summary>Packets pushed to this subflow and not yet written.</summary>
    public int Queued => _queue.Count + _blocked.Count;

    /// <summary>Payload bytes waiting in the queue.</summary>
    public long QueuedBytes { get; private set; }

    /// <summary>The queue is full: the subflow takes no more now (<c>THROTTLED</c>).</summary>
    public bool Throttled => QueuedBytes >= _session.Options.SubflowQueueBytes || Queued >= MaxQueuedPackets;

    /// <summary>The scheduler may usefully push here now: room in the queue and in the window.</summary>
    public bool CanTakeData => State == SubflowState.Active && !Throttled && Congestion.Window > InFlight + Queued;

    /// <summary>Bytes this subflow delivered (acknowledged at the data level and attributed to it) and when the latest were.</summary>
    public long Delivered { get; set; }

    public long DeliveredTimeUs { get; set; }

    /// <summary>The last time the path proved it carries data forward: an echo that names it, or a pong on it.</summary>
    public long LastProofUs { get; set; }

    public long LastSendUs { get; private set; }

    public long LastPingSentUs { get; set; }

    /// <summary>The timestamp of the latest ping answered: everything written before that ping has arrived.</summary>
    public long LastPongEchoUs { get; set; }

    /// <summary>A ping is out and unanswered.</summary>
    public bool PingOutstanding { get; set; }

    public long SuspectedSinceUs { get; set; }

    /// <summary>How often the data-level timeout suspected this subflow.</summary>
    public long TimesSuspected { get; set; }

    /// <summary>Packets inferred lost at the data level (reinjected after this subflow timed out).</summary>
    public long DataLevelLost { get; set; }

    public long PayloadBytesSent { get; private set; }

    public long RetransmittedBytesSent { get; private set; }

    public long PayloadBytesAcked { get; set; }

    public long FramesReceived { get; private set; }

    public long BytesReceived { get; private set; }

    public ByteRateMeter SendMeter { get; } = new();

    public ByteRateMeter AckMeter { get; } = new();

    /// <summary>Smoothed one-way delays from the timestamps both ends put in frames, microseconds (docs/protocol.md, 8.4).</summary>
    public long DelayOutUs => Math.Max(0, _outRawUs - _session.PeerClock.OffsetUs);

    public long DelayInUs => Math.Max(0, _inRawUs + _session.PeerClock.OffsetUs);

    /// <summary>The longest round trip a timestamped sample may claim; beyond it (or below zero) a peer's timestamp is broken, and would spoil the session's clock offset.</summary>
    private const long MaxSampleRoundTripUs = 60_000_000;

    // Smoothed raw one-way figures (true delay ± the clocks' offset): the session's current offset is
    // taken off when they are read, so every subflow follows a better estimate at once.
    private long _outRawUs;
    private long _inRawUs;
    private bool _hasDelay;

    /// <summary>
    /// How much longer than at their quickest in the last ten seconds acknowledgements now take to come
    /// back, microseconds (what <see cref="DeliveryRateWindow"/> covers). Two views, and the lesser: the
    /// inbound one-way delay of this subflow (the way back alone, but blind to acknowledgements that come
    /// sooner over another subflow, as a slow path's do over a quick one), and the time its packets stay
    /// in flight beyond the outbound delay (what its window really holds, but with the receiver's batching
    /// of reads in it).
    /// </summary>
    public long AckWaitUs => Math.Min(_inQueueing.ExcessUs, _ackLegQueueing.ExcessUs);

    private const long AckWaitSpanUs = 10_000_000;

    // Raw figures (the clock offset cancels in the excess); the inbound one smoothed as DELAY_IN is, the
    // other per packet, so more slowly.
    private readonly DelayAboveLeast _inQueueing = new(3, AckWaitSpanUs);
    private readonly DelayAboveLeast _ackLegQueueing = new(5, AckWaitSpanUs);

    /// <summary>A timestamped round trip: updates the one-way delay estimates and the session's clock offset.</summary>
    public void OnOneWaySample(long outRaw, long inRaw, long nowUs)
    {
        var roundTrip = (Int128)outRaw + inRaw;
        if (roundTrip < 0 || roundTrip > MaxSampleRoundTripUs)
        {
            return;
        }

        _session.PeerClock.Observe(outRaw, inRaw);
        if (!_hasDelay)
        {
            _outRawUs = outRaw;
            _inRawUs = inRaw;
            _hasDelay = true;
        }
        else
        {
            _outRawUs += (outRaw - _outRawUs) / 8;
            _inRawUs += (inRaw - _inRawUs) / 8;
        }

        _inQueueing.Add(inRaw, nowUs);
    }

    private long _roundStartDelivered;

    /// <summary>
    /// A packet was acknowledged and credited to this subflow: by an echo saying its copy arrived over
    /// this subflow (<paramref name="carrierKnown"/>), or else by a cumulative ack to the subflow that
    /// wrote its latest copy. Counts the delivery and takes the delivery-rate sample for the window.
    /// </summary>
    public void OnDeliveredLocked(OutboundPacket packet, bool carrierKnown, long nowUs)
    {
        var bytes = Math.Max(1, packet.Length);
        Delivered += bytes;
        DeliveredTimeUs = nowUs;
        PayloadBytesAcked += packet.Length;
        AckMeter.Add(packet.Length, nowUs);
        // Karn's rule: a sample is timed from the copy this subflow wrote, and only if it wrote one
        // copy (an ack cannot say which of two copies on one subflow it answers, and one timed from the
        // later would claim a rate the path never had). Copies on other subflows (a redundant
        // scheduler's) do not matter when an echo names this subflow as the carrier; a cumulative ack
        // names none, so then the packet must have gone out once in all.
        long sentUs, deliveredAtSend, deliveredTimeAtSendUs;
        if ((packet.RewrittenMask & View.Bit) != 0 || (!carrierKnown && packet.TransmitCount != 1))
        {
            return;
        }

        if (packet.LastSlot == Slot)
        {
            (sentUs, deliveredAtSend, deliveredTimeAtSendUs) = (packet.LastSentUs, packet.DeliveredAtSend, packet.DeliveredTimeAtSendUs);
        }
        else if (packet.FirstSlot == Slot)
        {
            (sentUs, deliveredAtSend, deliveredTimeAtSendUs) = (packet.FirstSentUs, packet.FirstDeliveredAtSend, packet.FirstDeliveredTimeAtSendUs);
        }
        else
        {
            // A middle copy of three or more: its send is not recorded.
            return;
        }

        if (sentUs == 0)
        {
            return;
        }

        // BBR's sample: what was delivered between this packet's send and its ack, over the longer of
        // the two spans, so an ack burst cannot claim more than the path carried.
        var interval = Math.Max(nowUs - deliveredTimeAtSendUs, nowUs - sentUs);
        if (_hasDelay)
        {
            _ackLegQueueing.Add(nowUs - sentUs - _outRawUs, nowUs);
        }

        Congestion.OnRateSample(Delivered - deliveredAtSend, interval, Rtt.MinUs, AckWaitUs, AckMeter.LastSecond(nowUs), nowUs);
        if (deliveredAtSend >= _roundStartDelivered)
        {
            _roundStartDelivered = Delivered;
            Congestion.OnRoundEnd();
        }
    }

    /// <summary>Writes the figures a scheduler reads; called before each invocation, never during one.</summary>
    public void RefreshView(long nowUs)
    {
        var view = View;
        var srtt = Rtt.HasSample ? Rtt.SmoothedUs : 0;
        view.Rtt = srtt;
        view.RttVar = Rtt.HasSample ? Rtt.VariationUs : 0;
        view.DelayOut = _hasDelay ? DelayOutUs : srtt / 2;
        view.DelayIn = _hasDelay ? DelayInUs : srtt / 2;
        view.Cwnd = Congestion.Window;
        view.Ssthresh = Congestion.SlowStartThreshold;
        view.InFlight = InFlight;
        view.Queued = Queued;
        view.Lost = DataLevelLost + KernelLost;
        view.BwOutSend = SendMeter.LastSecond(nowUs);
        view.BwOutAck = AckMeter.LastSecond(nowUs);
        view.Throttled = Throttled;
        view.Lossy = KernelLossy;
        view.WindowBytes = long.MaxValue;
    }

    /// <summary>Segments the kernel retransmitted on this socket (<c>TCP_INFO</c>): its count of packets lost.</summary>
    public long KernelLost { get; private set; }

    /// <summary>The kernel's congestion state for this socket is recovery or loss.</summary>
    public bool KernelLossy { get; private set; }

    /// <summary>The kernel's view of the socket, read last by <see cref="RefreshKernelState"/>.</summary>
    public TcpInfo LastTcpInfo { get; private set; }

    /// <summary>Reads <c>TCP_INFO</c>: the loss figures come from the kernel (DESIGN.md), the rest from the data level.</summary>
    public void RefreshKernelState()
    {
        if (State == SubflowState.Dead || !TcpInfoReader.TryRead(_socket, out var info))
        {
            return;
        }

        LastTcpInfo = info;
        KernelLost = info.TotalRetrans;
        KernelLossy = info.CongestionState is TcpCongestionState.Recovery or TcpCongestionState.Loss;
    }

    public Socket Socket => _socket;

    /// <summary>Starts the send and receive loops.</summary>
    public void Start()
    {
        _ = Task.Run(SendLoopAsync);
        _ = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Ends both loops and closes the socket; with <paramref name="reset"/> the peer sees a reset.</summary>
    public void Close(bool reset = false)
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _sendSignal.Close();
        _controlDrained.Close();
        _stop.Dispose();
        try
        {
            if (reset)
            {
                _socket.LingerState = new LingerOption(true, 0);
            }
            else
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();

        // After the socket: TLS has nothing left to say, and a loop still inside the stream fails at once.
        _stream.Dispose();
    }

    /// <summary>Packets written and not yet known to be acknowledged, oldest first (acknowledged ones are skipped lazily).</summary>
    public Queue<OutboundPacket> Outstanding { get; } = new();

    public void TrimOutstanding()
    {
        while (Outstanding.TryPeek(out var head) && (head.Acked || (head.InFlightMask & View.Bit) == 0))
        {
            Outstanding.Dequeue();
        }
    }

    public override string ToString() => $"subflow {Id} ({LocalEndPoint} -> {RemoteEndPoint})";

    /// <summary>
    /// The transport failed under a loop: a socket error, or TLS that refused a record (a byte changed on
    /// the path). Either ends this subflow alone; a reset from the peer is passed on as one.
    /// </summary>
    private void OnTransportFailed(string direction, Exception e)
    {
        var socketError = (e as SocketException ?? e.InnerException as SocketException)?.SocketErrorCode;
        var reason = socketError is { } code ? $"{direction} failed: {code}" : $"{direction} failed: {e.Message}";
        _session.OnSubflowFailed(this, reason, socketError is null or SocketError.ConnectionReset);
    }

    private const int MaxQueuedPackets = 256;
}
