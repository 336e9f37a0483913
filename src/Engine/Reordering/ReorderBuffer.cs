using System.Buffers;

namespace ProgMp.Engine.Reordering;

/// <summary>
/// One direction of a stream at the receiver: puts data back in order by sequence number, drops what
/// it already has (redundant schedulers send copies on purpose), and holds at most the window it
/// advertises. Not thread-safe: the session's lock guards it.
/// </summary>
/// <remarks>
/// In-order bytes wait in <see cref="_ready"/> for the application; bytes that arrive ahead of a hole
/// wait in <see cref="_ahead"/>, sorted by sequence number (arrivals are mostly ascending, so an insert
/// is usually an append). Buffers come from the shared pool and go back once the application read them.
/// </remarks>
internal sealed class ReorderBuffer
{
    private readonly Queue<ReceivedSegment> _ready = new();
    private readonly List<ReceivedSegment> _ahead = [];
    private long _finSeq = -1;

    // Bytes of the head of _ready the application has already read.
    private int _headRead;

    public ReorderBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>Bytes the receiver holds at most: in order and waiting for the application, plus ahead of a hole.</summary>
    public int Capacity { get; }

    /// <summary>The next sequence number expected: every byte below it arrived.</summary>
    public long NextSeq { get; private set; }

    /// <summary>Bytes the application has read.</summary>
    public long ConsumedSeq { get; private set; }

    /// <summary>The first sequence number the receiver does not accept; it never moves back.</summary>
    public long RightEdge => ConsumedSeq + Capacity;

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

    /// <summary>Bytes that had to wait for a hole to fill, and their total wait in microseconds.</summary>
    public long ReorderedBytes { get; private set; }

    public long ReorderWaitByteMicroseconds { get; private set; }

    /// <summary>The longest any segment waited ahead of a hole, microseconds.</summary>
    public long MaxReorderWaitUs { get; private set; }

    /// <summary>Bytes dropped because they were already here.</summary>
    public long DuplicateBytes { get; private set; }

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

        if (end > RightEdge && end > NextSeq)
        {
            return ReceiveOutcome.FlowControl;
        }

        var newFin = fin && _finSeq < 0;
        if (fin)
        {
            _finSeq = end;
        }

        if (end <= NextSeq || length == 0)
        {
            if (length > 0)
            {
                DuplicateBytes += length;
            }

            return newFin ? ReceiveOutcome.Accepted : ReceiveOutcome.Duplicate;
        }

        var skip = Math.Max(0, NextSeq - seq);
        if (skip > 0)
        {
            DuplicateBytes += skip;
        }

        var start = seq + skip;
        if (start == NextSeq)
        {
            _ready.Enqueue(Copy(payload.Slice(skip), start, nowUs));
            NextSeq = end;
            DrainAhead(nowUs);
            return ReceiveOutcome.Accepted;
        }

        return InsertAhead(payload.Slice(skip), start, nowUs) ? ReceiveOutcome.Accepted : ReceiveOutcome.Duplicate;
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
                ArrayPool<byte>.Shared.Return(_ready.Dequeue().Buffer);
                _headRead = 0;
            }
        }

        ConsumedSeq += total;
        return total;
    }

    /// <summary>Gives every buffer back: the stream is gone.</summary>
    public void Release()
    {
        while (_ready.TryDequeue(out var segment))
        {
            ArrayPool<byte>.Shared.Return(segment.Buffer);
        }

        foreach (var segment in _ahead)
        {
            ArrayPool<byte>.Shared.Return(segment.Buffer);
        }

        _ahead.Clear();
        AheadBytes = 0;
    }

    private bool HasBytesAtOrBeyond(long seq) =>
        NextSeq > seq || (_ahead.Count > 0 && _ahead[^1].End > seq);

    private void DrainAhead(long nowUs)
    {
        var taken = 0;
        while (taken < _ahead.Count && _ahead[taken].Seq <= NextSeq)
        {
            var segment = _ahead[taken++];
            AheadBytes -= segment.Length;
            if (segment.End <= NextSeq)
            {
                DuplicateBytes += segment.Length;
                ArrayPool<byte>.Shared.Return(segment.Buffer);
                continue;
            }

            var skip = (int)(NextSeq - segment.Seq);
            DuplicateBytes += skip;
            segment.Offset += skip;
            segment.Length -= skip;
            segment.Seq += skip;
            var waited = nowUs - segment.ArrivalUs;
            ReorderedBytes += segment.Length;
            ReorderWaitByteMicroseconds += waited * segment.Length;
            MaxReorderWaitUs = Math.Max(MaxReorderWaitUs, waited);
            _ready.Enqueue(segment);
            NextSeq = segment.End;
        }

        _ahead.RemoveRange(0, taken);
    }

    private bool InsertAhead(in ReadOnlySequence<byte> payload, long seq, long nowUs)
    {
        // Binary search for the first segment that starts after seq.
        int lo = 0, hi = _ahead.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_ahead[mid].Seq <= seq)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        var end = seq + payload.Length;
        if (lo > 0 && _ahead[lo - 1].End >= end)
        {
            DuplicateBytes += payload.Length;
            return false;
        }

        if (lo < _ahead.Count && _ahead[lo].Seq == seq && _ahead[lo].End >= end)
        {
            DuplicateBytes += payload.Length;
            return false;
        }

        // Partial overlaps stay: draining trims whatever an earlier segment already delivered.
        _ahead.Insert(lo, Copy(payload, seq, nowUs));
        AheadBytes += payload.Length;
        return true;
    }

    private static ReceivedSegment Copy(in ReadOnlySequence<byte> payload, long seq, long nowUs)
    {
        var length = (int)payload.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        payload.CopyTo(buffer);
        return new ReceivedSegment { Seq = seq, Buffer = buffer, Offset = 0, Length = length, ArrivalUs = nowUs };
    }
}
