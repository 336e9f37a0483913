namespace ProgMp.Engine.Wire;

/// <summary>
/// Who may open which stream id (docs/protocol.md, "Streams"): the client (the side that sent SETUP)
/// opens odd ids from 1, the server even ids from 2, each in increasing order, so both sides can open
/// streams at once without ever choosing the same id. Id 0 names no stream.
/// </summary>
internal static class StreamIds
{
    /// <summary>The first id the given side opens.</summary>
    public static uint First(bool isClient) => isClient ? 1u : 2u;

    /// <summary>The id after <paramref name="id"/> for the same side, or false when the side has used them all.</summary>
    public static bool TryNext(uint id, out uint next)
    {
        next = id + 2;
        return next > id;
    }

    /// <summary>True when the id is one the given side opens.</summary>
    public static bool IsOpenedBy(uint id, bool isClient) => id != 0 && (id & 1) == (isClient ? 1u : 0u);
}
