using System.Buffers;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Reordering;

/// <summary>
/// The out-of-order segments of every stream of a session, as treaps (one root per stream) whose
/// nodes live in arrays shared by the session: an insert, a removal or a search is O(log n) and
/// allocates nothing once the arrays have grown, and the arrays never grow past <see cref="Capacity"/>
/// nodes, which is the session's bound on segments. Not thread-safe: the session's lock guards it.
/// </summary>
/// <remarks>
/// A stream's segments never overlap (the reorder buffer trims each on arrival), so ordering by
/// <see cref="ReceivedSegment.Seq"/> orders their ends too. Every node holds a rented buffer, which
/// goes back to the shared pool when the segment's bytes leave the tree for good.
/// </remarks>
internal sealed class SegmentStore
{
    public const int Nil = -1;

    private const int FirstGrowth = 16;

    private ReceivedSegment[] _items = [];
    private int[] _left = [];
    private int[] _right = [];
    private uint[] _priority = [];

    // Freed nodes, chained through _left.
    private int _free = Nil;
    private int _used;
    private uint _random = 0x9E3779B9;

    public SegmentStore(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>Segments the session may hold at once.</summary>
    public int Capacity { get; }

    /// <summary>Segments held now, over all trees.</summary>
    public int Count { get; private set; }

    public bool IsFull => Count >= Capacity;

    public ref ReceivedSegment this[int node] => ref _items[node];

    /// <summary>Puts <paramref name="segment"/> in the tree at <paramref name="root"/>; false (nothing changed) when the store is full.</summary>
    public bool TryInsert(ref int root, in ReceivedSegment segment)
    {
        if (IsFull)
        {
            return false;
        }

        var node = Allocate();
        _items[node] = segment;
        Split(root, segment.Seq, out var below, out var rest);
        root = Merge(Merge(below, node), rest);
        return true;
    }

    /// <summary>Takes the segment starting at <paramref name="seq"/> out of the tree; its buffer is the caller's now.</summary>
    public ReceivedSegment Remove(ref int root, long seq)
    {
        Split(root, seq, out var below, out var rest);
        Split(rest, seq + 1, out var node, out var above);
        if (node == Nil)
        {
            throw new InvalidOperationException($"No segment starts at {seq}.");
        }

        var segment = _items[node];
        Free(node);
        root = Merge(below, above);
        return segment;
    }

    /// <summary>The node with the lowest seq, or <see cref="Nil"/>.</summary>
    public int First(int root)
    {
        if (root == Nil)
        {
            return Nil;
        }

        while (_left[root] != Nil)
        {
            root = _left[root];
        }

        return root;
    }

    /// <summary>The node with the highest seq (and so the highest end), or <see cref="Nil"/>.</summary>
    public int Last(int root)
    {
        if (root == Nil)
        {
            return Nil;
        }

        while (_right[root] != Nil)
        {
            root = _right[root];
        }

        return root;
    }

    /// <summary>The node with the highest seq at or below <paramref name="seq"/>, or <see cref="Nil"/>.</summary>
    public int Floor(int root, long seq)
    {
        var found = Nil;
        while (root != Nil)
        {
            if (_items[root].Seq <= seq)
            {
                found = root;
                root = _right[root];
            }
            else
            {
                root = _left[root];
            }
        }

        return found;
    }

    /// <summary>The node with the lowest seq at or above <paramref name="seq"/>, or <see cref="Nil"/>.</summary>
    public int Ceiling(int root, long seq)
    {
        var found = Nil;
        while (root != Nil)
        {
            if (_items[root].Seq >= seq)
            {
                found = root;
                root = _left[root];
            }
            else
            {
                root = _right[root];
            }
        }

        return found;
    }

    /// <summary>Empties the tree at <paramref name="root"/>, giving every buffer back to the pool.</summary>
    public void Clear(ref int root)
    {
        // Iterative, so that even a degenerate tree cannot exhaust the stack.
        while (root != Nil)
        {
            var node = root;
            if (_left[node] != Nil)
            {
                // Rotate right until the root has no left child.
                var left = _left[node];
                _left[node] = _right[left];
                _right[left] = node;
                root = left;
                continue;
            }

            root = _right[node];
            PayloadPool.Shared.Return(_items[node].Buffer);
            Free(node);
        }
    }

    private int Allocate()
    {
        int node;
        if (_free != Nil)
        {
            node = _free;
            _free = _left[node];
        }
        else
        {
            if (_used == _items.Length)
            {
                Grow();
            }

            node = _used++;
        }

        _left[node] = Nil;
        _right[node] = Nil;
        _priority[node] = NextPriority();
        Count++;
        return node;
    }

    private void Free(int node)
    {
        _items[node] = default;
        _left[node] = _free;
        _free = node;
        Count--;
    }

    private void Grow()
    {
        var size = (int)Math.Min(Capacity, Math.Max(FirstGrowth, 2L * _items.Length));
        Array.Resize(ref _items, size);
        Array.Resize(ref _left, size);
        Array.Resize(ref _right, size);
        Array.Resize(ref _priority, size);
    }

    private uint NextPriority()
    {
        // xorshift32: a treap needs priorities that are independent of the keys, not secret ones.
        var x = _random;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        _random = x;
        return x;
    }

    /// <summary>Splits a tree into the nodes below <paramref name="seq"/> and the rest.</summary>
    private void Split(int node, long seq, out int below, out int rest)
    {
        if (node == Nil)
        {
            below = Nil;
            rest = Nil;
            return;
        }

        if (_items[node].Seq < seq)
        {
            Split(_right[node], seq, out var middle, out rest);
            _right[node] = middle;
            below = node;
        }
        else
        {
            Split(_left[node], seq, out below, out var middle);
            _left[node] = middle;
            rest = node;
        }
    }

    /// <summary>Joins two trees, every seq of <paramref name="low"/> below every seq of <paramref name="high"/>.</summary>
    private int Merge(int low, int high)
    {
        if (low == Nil)
        {
            return high;
        }

        if (high == Nil)
        {
            return low;
        }

        if (_priority[low] > _priority[high])
        {
            _right[low] = Merge(_right[low], high);
            return low;
        }

        _left[high] = Merge(low, _left[high]);
        return high;
    }
}
