using System.Buffers;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Reordering;

/// <summary>
/// One direction of a stream at the receiver: puts data back in order by sequence number, stores
/// every byte at most once (redundant schedulers send copies on purpose, and a hostile peer sends
/// overlapping ones), and holds at most the window it advertised. Not thread-safe: the session's lock
/// guards it.
/// </summary>
/// <remarks>
/// In-order bytes wait in <see cref="_ready"/> for the application; bytes that arrive ahead of a hole
/// wait in a tree of the session's <see cref="SegmentStore"/>, trimmed on arrival to what is new, so
/// they never overlap. Buffers come from the shared pool and go back once the application read them.
/// The window starts at the initial window; it grows towards <see cref="Capacity"/> only with bytes
/// taken from the session's <see cref="ReceiveBudget"/>, and gives them back as the application reads.
/// </remarks>
internal sealed class ReorderBuffer
{
    private readonly Queue<ReceivedSegment> _ready = new();
    private readonly ReceiveBudget _budget;
    private readonly SegmentStore _store;
    private readonly int _maxSegments;
    private int _ahead = SegmentStore.Nil;
    private long _finSeq = -1;
    private bool _released;

    // Bytes of the head of _ready the application has already read.
    private int _headRead;

    // Bytes of the window beyond the initial one, taken from the budget:
    // max(0, RightEdge - ConsumedSeq - InitialWindow) at every moment.
    private long _granted;

    public ReorderBuffer(int capacity, int initialWindow, int maxSegments, ReceiveBudget budget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(initialWindow, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(initialWindow, capacity);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSegments, 1);
        Capacity = capacity;
        InitialWindow = initialWindow;
        RightEdge = initialWindow;
        _maxSegments = maxSegments;
        _budget = budget;
        _store = budget.Segments;
    }

    /// <summary>The largest window the stream offers: what the receiver holds at most, in order and ahead of a hole.</summary>
    public int Capacity { get; }

    /// <summary>The window the stream starts with; it may always be offered again once the reader caught up.</summary>
    public int InitialWindow { get; }

    /// <summary>The next sequence number expected: every byte below it arrived.</summary>
    public long NextSeq { get; private set; }

    /// <summary>Bytes the application has read.</summary>
    public long ConsumedSeq { get; private set; }

    /// <summary>The first sequence number the receiver does not accept: the highest edge it advertised. It never moves back.</summary>
    public long RightEdge { get; private set; }

    /// <summary>The FIN has arrived and every byte before it.</summary>
    public bool FinReceived => _finSeq >= 0 && NextSeq == _finSeq;

    /// <summary>What a DATA_ACK says: the FIN counts one sequence number, as in TCP.</summary>
    public long CumulativeAck => FinReceived ? NextSeq + 1 : NextSeq;

    /// <summary>The window a DATA_ACK advertises: bytes accepted beyond the cumulative ack.</summary>
    public uint Window => (uint)Math.Clamp(RightEdge - NextSeq, 0, uint.MaxValue);

    /// <summary>In-order bytes the application can read now.</summary>
    public long Readable => NextSeq - ConsumedSeq;

    /// <summary>The application has read everything up to the FIN: end of stream.</summary>
    public bool Completed => FinReceived && ConsumedSeq == NextSeq;

    /// <summary>Bytes held ahead of a hole.</summary>
    public long AheadBytes { get; private set; }

    /// <summary>Segments held ahead of a hole.</summary>
    public int AheadSegments { get; private set; }

    /// <summary>Bytes that had to wait for a hole to fill, and their total wait in microseconds.</summary>
    public long ReorderedBytes { get; private set; }

    public long ReorderWaitByteMicroseconds { get; private set; }

    /// <summary>The longest any segment waited ahead of a hole, microseconds.</summary>
    public long MaxReorderWaitUs { get; private set; }

    /// <summary>Bytes dropped because they were already here.</summary>
    public long DuplicateBytes { get; private set; }

    /// <summary>The edge the window could move to now: as far as the capacity, and beyond the initial window the budget, allow.</summary>
    private long OfferableEdge => Math.Min(ConsumedSeq + Capacity, ConsumedSeq + InitialWindow + _granted + _budget.Available);

    /// <summary>The window could grow by a quarter of what it would then be: worth telling the peer.</summary>
    public bool GrowthDue
    {
        get
        {
            if (_released)
            {
                return false;
            }

            var edge = OfferableEdge;
            return edge - RightEdge >= Math.Max(1, (edge - ConsumedSeq) / 4);
        }
    }

    /// <summary>Moves the right edge as far as <see cref="OfferableEdge"/>; called before every acknowledgement, which then advertises it.</summary>
    public void OfferWindow()
    {
        var edge = OfferableEdge;
        if (_released || edge <= RightEdge)
        {
            return;
        }

        var granted = Math.Max(0, edge - ConsumedSeq - InitialWindow);
        _budget.Take(granted - _granted);
        _granted = granted;
        RightEdge = edge;
    }

    /// <summary>Takes a data frame's payload; copies only the bytes that are new.</summary>
    public ReceiveOutcome Receive(long seq, in ReadOnlySequence<byte> payload, bool fin, long nowUs)
    {
        var length = payload.Length;
        var end = seq + length;
        if (fin)
        {
            if (_finSeq >= 0 && _finSeq != end)
            {
                return ReceiveOutcome.FinalOffset;
            }

            if (end < NextSeq || HasBytesAtOrBeyond(end))
            {
                return ReceiveOutcome.FinalOffset;
            }
        }

        if (_finSeq >= 0 && end > _finSeq)
        {
            return ReceiveOutcome.FinalOffset;
        }

        if (end > RightEdge)
        {
            return ReceiveOutcome.FlowControl;
        }

        var newFin = fin && _finSeq < 0;
        if (fin)
        {
            _finSeq = end;
        }

        var start = Math.Max(seq, NextSeq);
        if (start > NextSeq)
        {
            // Ahead of a hole: what the segment before already holds is not new.
            var before = _store.Floor(_ahead, start);
            if (before != SegmentStore.Nil && _store[before].End > start)
            {
                start = Math.Min(end, _store[before].End);
            }
        }

        if (start < end)
        {
            end = TrimAhead(start, end);
        }

        if (start >= end)
        {
            DuplicateBytes += length;
            return newFin ? ReceiveOutcome.Accepted : ReceiveOutcome.Duplicate;
        }

        DuplicateBytes += length - (end - start);
        var bytes = payload.Slice(start - seq, end - start);
        if (start == NextSeq)
        {
            _ready.Enqueue(Copy(bytes, start, nowUs));
            NextSeq = end;
            DrainAhead(nowUs);
            return ReceiveOutcome.Accepted;
        }

        if (AheadSegments >= _maxSegments)
        {
            return ReceiveOutcome.StreamSegmentLimit;
        }

        if (_store.IsFull)
        {
            return ReceiveOutcome.SessionSegmentLimit;
        }

        _store.TryInsert(ref _ahead, Copy(bytes, start, nowUs));
        AheadSegments++;
        AheadBytes += end - start;
        return ReceiveOutcome.Accepted;
    }

    /// <summary>Copies in-order bytes to <paramref name="destination"/>; returns how many.</summary>
    public int Read(Span<byte> destination)
    {
        var total = 0;
        while (total < destination.Length && _ready.Count > 0)
        {
            var head = _ready.Peek();
            var n = Math.Min(head.Length - _headRead, destination.Length - total);
            head.Buffer.AsSpan(head.Offset + _headRead, n).CopyTo(destination[total..]);
            total += n;
            _headRead += n;
            if (_headRead == head.Length)
            {
                PayloadPool.Shared.Return(_ready.Dequeue().Buffer);
                _headRead = 0;
            }
        }

        ConsumedSeq += total;
        if (!_released)
        {
            // The read bytes leave the window's promise: what it held beyond the initial window goes back.
            var granted = Math.Max(0, RightEdge - ConsumedSeq - InitialWindow);
            _budget.Give(_granted - granted);
            _granted = granted;
        }

        return total;
    }

    /// <summary>Gives every buffer and the budget back: the stream is gone. Later calls do nothing.</summary>
    public void Release()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        while (_ready.TryDequeue(out var segment))
        {
            PayloadPool.Shared.Return(segment.Buffer);
        }

        _headRead = 0;
        _store.Clear(ref _ahead);
        AheadBytes = 0;
        AheadSegments = 0;
        _budget.Give(_granted);
        _granted = 0;
    }

    private bool HasBytesAtOrBeyond(long seq)
    {
        if (NextSeq > seq)
        {
            return true;
        }

        var last = _store.Last(_ahead);
        return last != SegmentStore.Nil && _store[last].End > seq;
    }

    /// <summary>
    /// Makes room for new bytes at [<paramref name="start"/>, <paramref name="end"/>): segments ahead that
    /// lie wholly inside go (the new copy holds their bytes); one that reaches beyond keeps its bytes
    /// and the new range ends where it starts. Returns the new end.
    /// </summary>
    private long TrimAhead(long start, long end)
    {
        while (true)
        {
            var next = _store.Ceiling(_ahead, start);
            if (next == SegmentStore.Nil || _store[next].Seq >= end)
            {
                return end;
            }

            if (_store[next].End > end)
            {
                return _store[next].Seq;
            }

            var covered = _store.Remove(ref _ahead, _store[next].Seq);
            AheadSegments--;
            AheadBytes -= covered.Length;
            PayloadPool.Shared.Return(covered.Buffer);
        }
    }

    private void DrainAhead(long nowUs)
    {
        while (true)
        {
            var first = _store.First(_ahead);
            if (first == SegmentStore.Nil || _store[first].Seq > NextSeq)
            {
                return;
            }

            // Segments never overlap, and none lies below NextSeq: this one starts exactly at it.
            var segment = _store.Remove(ref _ahead, _store[first].Seq);
            AheadSegments--;
            AheadBytes -= segment.Length;
            var waited = nowUs - segment.ArrivalUs;
            ReorderedBytes += segment.Length;
            ReorderWaitByteMicroseconds += waited * segment.Length;
            MaxReorderWaitUs = Math.Max(MaxReorderWaitUs, waited);
            _ready.Enqueue(segment);
            NextSeq = segment.End;
        }
    }

    private static ReceivedSegment Copy(in ReadOnlySequence<byte> payload, long seq, long nowUs)
    {
        var length = (int)payload.Length;
        var buffer = PayloadPool.Shared.Rent(length);
        payload.CopyTo(buffer);
        return new ReceivedSegment { Seq = seq, Buffer = buffer, Offset = 0, Length = length, ArrivalUs = nowUs };
    }
}
