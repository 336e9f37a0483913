namespace ProgMp.Engine.Sessions;

/// <summary>
/// The peer's stream ids that have ended, so late frames for them are ignored (docs/protocol.md 8.1)
/// without the set growing with a long-lived session: ids end roughly in the order they were opened,
/// so a floor below which every id has ended absorbs almost all of them.
/// </summary>
internal sealed class EndedStreamIds
{
    private readonly HashSet<uint> _above = [];
    private long _floor;

    /// <param name="firstPeerId">The peer's first stream id (1 for a client, 2 for a server).</param>
    public EndedStreamIds(uint firstPeerId)
    {
        _floor = firstPeerId - 2L;
    }

    public int Count => _above.Count;

    public void Add(uint id)
    {
        if (id <= _floor)
        {
            return;
        }

        if (id != _floor + 2)
        {
            _above.Add(id);
            return;
        }

        _floor = id;
        while (_above.Remove((uint)(_floor + 2)))
        {
            _floor += 2;
        }
    }

    public bool Contains(uint id) => id <= _floor || _above.Contains(id);
}
