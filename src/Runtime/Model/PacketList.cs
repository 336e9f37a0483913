namespace ProgMp.Runtime.Model;

/// <summary>
/// A list of packets: one of a stream's queues (<c>Q</c>, <c>QU</c>, <c>RQ</c>), or a value a program
/// made of one (a <c>FILTER</c> result or a snapshot), rented from the invocation's arena.
/// </summary>
/// <remarks>
/// A flat array with a moving start, so that the common queue operations (append at the tail, take
/// from the head, put back at the head) are O(1) and reading the i-th element is one array access.
/// Capacity is kept across invocations: steady-state scheduling allocates nothing.
/// </remarks>
internal sealed class PacketList
{
    private Packet[] _items;
    private int _start;
    private int _count;

    public PacketList(PacketListKind kind, int capacity = 16)
    {
        Kind = kind;
        _items = new Packet[Math.Max(capacity, 4)];
    }

    public PacketListKind Kind { get; }

    /// <summary>
    /// For a list made from a queue by <c>FILTER</c>: the queue that <c>POP()</c> on it takes from
    /// (LANGUAGE.md: POP on "FILTER chains of them written in place"); null for other lists.
    /// </summary>
    public PacketList? PopSource { get; internal set; }

    public int Count => _count;

    public bool IsEmpty => _count == 0;

    public Packet? Top => _count > 0 ? _items[_start] : null;

    /// <summary>The i-th packet without a range check: callers loop below <see cref="Count"/>.</summary>
    public Packet ItemAt(int index) => _items[_start + index];

    /// <summary><c>GET(i)</c>: the i-th packet, or null out of range.</summary>
    public Packet? Get(long index) => (ulong)index < (ulong)_count ? _items[_start + (int)index] : null;

    public void Clear()
    {
        Array.Clear(_items, _start, _count);
        _start = 0;
        _count = 0;
        PopSource = null;
    }

    /// <summary>Appends at the tail.</summary>
    public void Add(Packet packet)
    {
        if (_start + _count == _items.Length)
        {
            MakeRoomAtTail();
        }

        _items[_start + _count] = packet;
        _count++;
    }

    /// <summary>Inserts so that the list stays in ascending <see cref="Packet.Seq"/>; returns the index.</summary>
    public int InsertBySeq(Packet packet)
    {
        var index = LowerBound(packet.Seq);
        Insert(index, packet);
        return index;
    }

    public void Insert(int index, Packet packet)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, _count);
        if (index == 0 && _start > 0)
        {
            _start--;
            _items[_start] = packet;
            _count++;
            return;
        }

        if (_start + _count == _items.Length)
        {
            MakeRoomAtTail();
        }

        var at = _start + index;
        Array.Copy(_items, at, _items, at + 1, _count - index);
        _items[at] = packet;
        _count++;
    }

    public void RemoveAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
        if (index == 0)
        {
            _items[_start] = null!;
            _start++;
            _count--;
            if (_count == 0)
            {
                _start = 0;
            }

            return;
        }

        var at = _start + index;
        Array.Copy(_items, at + 1, _items, at, _count - index - 1);
        _count--;
        _items[_start + _count] = null!;
    }

    /// <summary>Index of this very packet object, or -1.</summary>
    public int IndexOf(Packet packet)
    {
        for (var i = 0; i < _count; i++)
        {
            if (ReferenceEquals(_items[_start + i], packet))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Index of the packet in a list kept in ascending seq order, or -1 (binary search).</summary>
    public int IndexOfSorted(Packet packet)
    {
        var index = LowerBound(packet.Seq);
        for (var i = index; i < _count && _items[_start + i].Seq == packet.Seq; i++)
        {
            if (ReferenceEquals(_items[_start + i], packet))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Index of the packet whose seq is <paramref name="seq"/> in a list kept in ascending seq order, or -1.</summary>
    public int IndexOfSeq(long seq)
    {
        var index = LowerBound(seq);
        return index < _count && _items[_start + index].Seq == seq ? index : -1;
    }

    /// <summary>Index of the first packet whose seq is at least <paramref name="seq"/> in a list kept in ascending seq order (<see cref="Count"/> if none).</summary>
    public int LowerBoundSeq(long seq) => LowerBound(seq);

    public bool Remove(Packet packet)
    {
        var index = IndexOf(packet);
        if (index < 0)
        {
            return false;
        }

        RemoveAt(index);
        return true;
    }

    /// <summary>Replaces the contents with those of <paramref name="other"/> (a snapshot).</summary>
    public void CopyFrom(PacketList other)
    {
        Clear();
        EnsureCapacity(other._count);
        Array.Copy(other._items, other._start, _items, 0, other._count);
        _count = other._count;
    }

    /// <summary>Removes every packet that <paramref name="predicate"/> matches, keeping order; returns how many.</summary>
    public int RemoveAll(Func<Packet, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            var item = _items[_start + i];
            if (!predicate(item))
            {
                _items[_start + kept] = item;
                kept++;
            }
        }

        var removed = _count - kept;
        Array.Clear(_items, _start + kept, removed);
        _count = kept;
        return removed;
    }

    /// <summary>Removes the packets at the head whose seq is below <paramref name="seq"/> (a sorted list).</summary>
    public int RemoveBelowSeq(long seq)
    {
        var n = LowerBound(seq);
        for (var i = 0; i < n; i++)
        {
            RemoveAt(0);
        }

        return n;
    }

    private int LowerBound(long seq)
    {
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_items[_start + mid].Seq < seq)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private void EnsureCapacity(int count)
    {
        if (_items.Length < count)
        {
            _items = new Packet[Math.Max(count, _items.Length * 2)];
        }
    }

    private void MakeRoomAtTail()
    {
        if (_start > _items.Length / 2)
        {
            // Plenty of room freed at the head: slide down instead of growing.
            Array.Copy(_items, _start, _items, 0, _count);
            Array.Clear(_items, _count, _start);
            _start = 0;
            return;
        }

        var bigger = new Packet[_items.Length * 2];
        Array.Copy(_items, _start, bigger, 0, _count);
        _items = bigger;
        _start = 0;
    }
}
