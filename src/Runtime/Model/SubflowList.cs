namespace ProgMp.Runtime.Model;

/// <summary>
/// A list of subflows: <c>SUBFLOWS</c> as the host sets it, or a <c>FILTER</c> result rented from the
/// invocation's arena. Subflow lists never change during an invocation, so a value needs no snapshot.
/// </summary>
internal sealed class SubflowList
{
    private SubflowView[] _items;
    private int _count;

    public SubflowList(int capacity = 8)
    {
        _items = new SubflowView[Math.Max(capacity, 4)];
    }

    public int Count => _count;

    public bool IsEmpty => _count == 0;

    public SubflowView ItemAt(int index) => _items[index];

    /// <summary><c>GET(i)</c>: the i-th subflow, or null out of range.</summary>
    public SubflowView? Get(long index) => (ulong)index < (ulong)_count ? _items[(int)index] : null;

    public void Clear()
    {
        Array.Clear(_items, 0, _count);
        _count = 0;
    }

    public void Add(SubflowView subflow)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[_count++] = subflow;
    }

    public bool Remove(SubflowView subflow)
    {
        var index = Array.IndexOf(_items, subflow, 0, _count);
        if (index < 0)
        {
            return false;
        }

        Array.Copy(_items, index + 1, _items, index, _count - index - 1);
        _items[--_count] = null!;
        return true;
    }
}
