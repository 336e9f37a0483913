using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using ProgMp.Engine.Accounting;
using ProgMp.Engine.Sessions;
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
        Account = session.Ledger.Open(slot, packetSize, nowUs);
        EstablishedUs = nowUs;
        LastProofUs = nowUs;
        LastSendUs = nowUs;
        LocalEndPoint = socket.LocalEndPoint as IPEndPoint;
        _gather = _stream is NetworkStream ? new GatherSender(_socket) : null;
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

    public SubflowState State { get; private set; } = SubflowState.Active;

    /// <summary>The data-level timeout passed without an answer: out of SUBFLOWS until it answers again.</summary>
    public void Suspect(long nowUs)
    {
        State = SubflowState.Suspected;
        SuspectedSinceUs = nowUs;
        TimesSuspected++;
    }

    /// <summary>It answered after it was suspected: back in SUBFLOWS.</summary>
    public void Reinstate() => State = SubflowState.Active;

    /// <summary>
    /// A round trip on this path ended at <paramref name="nowUs"/>: an echo of data it carried or the
    /// answer to its ping, sent by us at <paramref name="echoedUs"/>, held <paramref name="holdUs"/> by
    /// the peer, who stamped its answer <paramref name="peerStampUs"/> (its clock). The path proved
    /// itself, and its RTT and one-way delays take a sample.
    /// </summary>
    public void OnRoundTrip(long echoedUs, long holdUs, long peerStampUs, long nowUs)
    {
        LastProofUs = nowUs;
        Account.Rtt.AddSample(nowUs - echoedUs - holdUs, nowUs);
        OnOneWaySample(peerStampUs - holdUs - echoedUs, nowUs - peerStampUs);
    }

    /// <summary>Ended for good: its loops stop at their next turn and its control queue takes nothing more.</summary>
    public void MarkDead()
    {
        State = SubflowState.Dead;
        Control.Close();
    }

    public bool IsBackup
    {
        get => View.IsBackup;
        set => View.IsBackup = value;
    }

    public long EstablishedUs { get; }

    /// <summary>The data level's counts for this subflow (in flight, queued, delivered, RTT, window), kept by the session's ledger.</summary>
    public SubflowAccount Account { get; }

    /// <summary>The queue is full: the subflow takes no more now (<c>THROTTLED</c>).</summary>
    public bool Throttled => Account.QueuedBytes >= _session.Options.SubflowQueueBytes || _queue.Count + _blocked.Count >= MaxQueuedPackets;

    /// <summary>The scheduler may usefully push here now: room in the queue and in the window.</summary>
    public bool CanTakeData => State == SubflowState.Active && !Throttled && Account.Congestion.Window > Account.InFlight + Account.Queued;

    /// <summary>The last time the path proved it carries data forward: an echo that names it, or a pong on it.</summary>
    public long LastProofUs { get; private set; }

    public long LastSendUs { get; private set; }

    public long LastPingSentUs { get; private set; }

    /// <summary>The timestamp of the latest ping answered: everything written before that ping has arrived.</summary>
    public long LastPongEchoUs { get; private set; }

    /// <summary>A ping is out and unanswered.</summary>
    public bool PingOutstanding { get; private set; }

    public long SuspectedSinceUs { get; private set; }

    /// <summary>How often the data-level timeout suspected this subflow.</summary>
    public long TimesSuspected { get; private set; }

    public long FramesReceived { get; private set; }

    public long BytesReceived { get; private set; }

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

    /// <summary>A timestamped round trip: updates the one-way delay estimates and the session's clock offset.</summary>
    private void OnOneWaySample(long outRaw, long inRaw)
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
            return;
        }

        _outRawUs += (outRaw - _outRawUs) / 8;
        _inRawUs += (inRaw - _inRawUs) / 8;
    }

    /// <summary>Writes the figures a scheduler reads; called before each invocation, never during one.</summary>
    public void RefreshView(long nowUs)
    {
        var view = View;
        var account = Account;
        var rtt = account.Rtt;
        var srtt = rtt.HasSample ? rtt.SmoothedUs : 0;
        view.Rtt = srtt;
        view.RttVar = rtt.HasSample ? rtt.VariationUs : 0;
        view.DelayOut = _hasDelay ? DelayOutUs : srtt / 2;
        view.DelayIn = _hasDelay ? DelayInUs : srtt / 2;
        view.Cwnd = account.Congestion.Window;
        view.Ssthresh = account.Congestion.SlowStartThreshold;
        view.InFlight = account.InFlight;
        view.Queued = account.Queued;
        view.Lost = account.DataLevelLost + KernelLost;
        view.BwOutSend = account.SendMeter.LastSecond(nowUs);
        view.BwOutAck = account.AckMeter.LastSecond(nowUs);
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
        _gather?.Dispose();

        // After the socket: TLS has nothing left to say, and a loop still inside the stream fails at once.
        _stream.Dispose();
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
