using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ProgMp.Engine.Accounting;
using ProgMp.Engine.Logging;
using ProgMp.Engine.Reordering;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Subflows;
using ProgMp.Engine.Timing;
using ProgMp.Engine.Wire;
using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Model;

namespace ProgMp.Engine.Sessions;

/// <summary>
/// A session's engine: its subflows, its streams and the scheduling of one over the other
/// (DESIGN.md, execution contract). One lock, <see cref="Gate"/>, guards all of it; socket calls
/// happen outside it, in each subflow's loops.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The lifetime source is only cancelled, when the session ends; without a wait handle or timer it holds no resource.")]
internal sealed partial class SessionCore : IPrintSink
{
    private readonly Subflow?[] _slots = new Subflow?[SubflowView.MaxSlots];
    private readonly List<Subflow> _subflows = [];
    private readonly SubflowList _available = new();
    private readonly Dictionary<uint, StreamCore> _streams = [];
    private readonly Channel<StreamCore> _accepted = Channel.CreateUnbounded<StreamCore>();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();
    private ulong _sessionMask;
    private long _nextSubflowId = 1;
    private uint _nextLocalStreamId;
    private long _noSubflowSinceUs;

    // Late frames for streams no longer open are answered from here (docs/protocol.md 8.1).
    private readonly EndedStreams _ended = new();

    public SessionCore(bool isClient, ulong token, in SessionSecret secret, ushort version, uint peerInitialWindow, MultipathOptions options, ILogger logger)
    {
        IsClient = isClient;
        Token = token;
        Secret = secret;
        Version = version;
        PeerInitialWindow = peerInitialWindow;
        Options = options;
        Logger = logger;
        Name = string.Create(CultureInfo.InvariantCulture, $"{token:x16}");
        _nextLocalStreamId = StreamIds.First(isClient);
        ReceiveBudget = new ReceiveBudget(options.Limits.SharedBufferBytes, options.Limits.SegmentsPerSession);
        _context = new SchedulerContext(XorShiftRandom.FromEntropy(), this);
        _noSubflowSinceUs = MonotonicClock.NowMicroseconds;
        StartTimer();
    }

    public Lock Gate { get; } = new();

    /// <summary>The send-side bookkeeping of every packet and subflow of the session.</summary>
    public SendLedger Ledger { get; } = new();

    public bool IsClient { get; }

    public ulong Token { get; }

    public SessionSecret Secret { get; }

    public ushort Version { get; }

    /// <summary>What a new stream may send before the peer's first DATA_ACK for it.</summary>
    public uint PeerInitialWindow { get; }

    public MultipathOptions Options { get; }

    /// <summary>What the session's stream windows may grow by, and the store of their out-of-order segments.</summary>
    public ReceiveBudget ReceiveBudget { get; }

    public ILogger Logger { get; }

    /// <summary>The session's name in logs and statistics: its token in hex.</summary>
    public string Name { get; }

    public bool IsClosed { get; private set; }

    public string? CloseReason { get; private set; }

    /// <summary>The peer's clock offset, shared by every subflow's one-way delays.</summary>
    public ClockOffset PeerClock { get; } = new();

    public SessionEndReason? EndReason { get; private set; }

    public bool EndedByPeer { get; private set; }

    /// <summary>Completes when the session has ended, for whatever reason.</summary>
    public Task Closed => _closed.Task;

    public CancellationToken Lifetime => _lifetime.Token;

    /// <summary>Raised (outside the lock) when a client-side subflow ended, so its path can be opened again.</summary>
    public event Action<Subflow>? SubflowEnded;

    public Subflow? SubflowAt(int slot) => (uint)slot < (uint)_slots.Length ? _slots[slot] : null;

    /// <summary>The streams the peer opened, in order, for the application to accept.</summary>
    public ChannelReader<StreamCore> AcceptedStreams => _accepted.Reader;

    // ----- streams -----

    /// <summary>Opens a stream of ours: STREAM_OPEN goes on every subflow at once, so it precedes the stream's data on each.</summary>
    public StreamCore OpenStream(Destination destination)
    {
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(IsClosed || IsClosing, this);
            var id = _nextLocalStreamId;

            // Checked before the id is taken: a failed call must not wrap the counter round to ids in use.
            if (id > Options.LastStreamId || !StreamIds.TryNext(id, out var next))
            {
                throw new InvalidOperationException("This session has used all its stream ids; open a new session.");
            }

            _nextLocalStreamId = next;

            var stream = NewStream(id, openedLocally: true, destination, PeerInitialWindow);
            foreach (var subflow in _subflows)
            {
                subflow.SendControl(new StreamOpenFrame(id, destination));
            }

            return stream;
        }
    }

    private StreamCore NewStream(uint id, bool openedLocally, Destination destination, long peerWindow)
    {
        var slot = Options.Registry.GetSlot(Options.DefaultScheduler);
        var receive = new ReorderBuffer(Options.ReceiveWindow, (int)Options.InitialWindow, Options.Limits.SegmentsPerStream, ReceiveBudget);
        var stream = new StreamCore(id, openedLocally, destination, receive, Ledger, peerWindow, slot, Options.SendBufferLimit);
        Options.CopyDefaultRegisters(stream.State.Registers);
        _streams.Add(id, stream);
        return stream;
    }

    /// <summary>
    /// Writes as much of <paramref name="data"/> as the send buffer takes now, then schedules.
    /// Returns the bytes taken; 0 means wait for <see cref="StreamCore.Writable"/>.
    /// </summary>
    public int WriteLocked(StreamCore stream, ReadOnlySpan<byte> data, bool push)
    {
        var room = Options.SendBufferLimit - stream.UnackedBytes;
        if (room <= 0)
        {
            return 0;
        }

        var taken = stream.AppendLocked(data[..(int)Math.Min(room, data.Length)], Options.PacketSize, BulkSegmentSizeLocked(), push);
        Activate(stream);
        PumpLocked();
        WatchWindowLocked(stream);
        return taken;
    }

    /// <summary>
    /// The length of a bulk write's segments: a millisecond at the slowest measured rate among the
    /// active subflows, as a segment may go on any of them (<see cref="SegmentSize"/>).
    /// </summary>
    private int BulkSegmentSizeLocked()
    {
        var rate = long.MaxValue;
        foreach (var subflow in _subflows)
        {
            var measured = subflow.Account.Congestion.BottleneckBytesPerSecond;
            if (subflow.State == SubflowState.Active && measured > 0)
            {
                rate = Math.Min(rate, measured);
            }
        }

        return SegmentSize.ForRate(Options.PacketSize, rate == long.MaxValue ? 0 : rate);
    }

    public void FinishWritesLocked(StreamCore stream)
    {
        if (stream.FinQueued || stream.IsReset)
        {
            return;
        }

        stream.AppendFinLocked();
        Activate(stream);
        PumpLocked();
    }

    /// <summary>Reads what is in order; sends a window update when the reader freed enough.</summary>
    public int ReadLocked(StreamCore stream, Span<byte> destination)
    {
        var n = stream.ReadLocked(destination);
        if (n > 0 && stream.WindowUpdateDue && BestSubflow() is { } subflow)
        {
            SendAck(subflow, stream, stream.CreateAck(MonotonicClock.NowMicroseconds));
        }

        if (stream.Receive.Completed)
        {
            RetireIfFinishedLocked(stream);
        }

        return n;
    }

    /// <summary>Aborts a stream in both directions (TCP's RST): the peer gets STREAM_RESET with the reason.</summary>
    public void ResetStreamLocked(StreamCore stream, StreamResetReason reason)
    {
        if (stream.IsReset)
        {
            return;
        }

        SendResetLocked(stream.Id, reason);
        EndStreamLocked(stream, reason, byPeer: false);
    }

    /// <summary>The application is done reading: later data is acknowledged and dropped.</summary>
    public void CloseReadLocked(StreamCore stream)
    {
        stream.ReadClosed = true;
        stream.DiscardReadable();
        RetireIfFinishedLocked(stream);
    }

    private void EndStreamLocked(StreamCore stream, StreamResetReason reason, bool byPeer)
    {
        stream.Complete(reason, byPeer);
        stream.AbandonSendLocked();
        stream.Receive.Release();
        _ended.Aborted(stream.Id, reason);
        Retire(stream);
        OnSendCompletedLocked();

        // Its packets no longer count in flight: the subflows may have room for other streams.
        PumpLocked();
    }

    private void RetireIfFinishedLocked(StreamCore stream)
    {
        if (stream.IsFinished && (stream.Receive.Completed || stream.ReadClosed))
        {
            stream.Receive.Release();
            Retire(stream);
        }
    }

    private void Retire(StreamCore stream) => _streams.Remove(stream.Id);

    /// <summary>The open stream with this id, if any.</summary>
    public StreamCore? FindStreamLocked(uint id) => _streams.GetValueOrDefault(id);

    // ----- PRINT -----

    private long _printWindowStartMs;
    private int _printsInWindow;

    bool IPrintSink.ShouldPrint(long nowMs)
    {
        if (nowMs - _printWindowStartMs >= 1000)
        {
            _printWindowStartMs = nowMs;
            _printsInWindow = 0;
        }

        return ++_printsInWindow <= Options.PrintLinesPerSecond && Logger.IsEnabled(LogLevel.Information);
    }

    void IPrintSink.Print(string schedulerName, string text) => EngineLog.SchedulerPrint(Logger, schedulerName, text);

    public override string ToString() => $"session {Name}";
}
