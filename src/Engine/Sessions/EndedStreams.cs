using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Sessions;

/// <summary>
/// What a session remembers of streams that are no longer open, so that late frames for them get the
/// right answer (docs/protocol.md 8.1), in memory that does not grow with the session's age.
/// </summary>
/// <remarks>
/// <para>A side opens its stream ids in increasing order and sends each <c>STREAM_OPEN</c> on every
/// subflow before the stream's data, so the peer's streams that ever existed here are exactly the ids
/// up to the highest one opened: one number says which peer ids have ended (those up to it that are
/// not open), and that a <c>DATA</c> beyond it names a stream never opened.</para>
/// <para>Streams that ended by a reset (or were refused) must have late data answered with the reset
/// again, never acknowledged: the last <see cref="AbortsRemembered"/> of them are kept with their
/// reason. Late data arrives within seconds of the end (it is sent again only when a subflow died with
/// the answer), so older ones are forgotten; an id at or below the highest forgotten one of its side is
/// answered with a reset whatever its end was, because acknowledging bytes that were never taken would
/// lose them silently, while a needless reset is seen.</para>
/// </remarks>
internal sealed class EndedStreams
{
    /// <summary>Resets remembered with their reason, per session.</summary>
    public const int AbortsRemembered = 1024;

    private readonly Dictionary<uint, StreamResetReason> _aborted = [];
    private readonly Queue<uint> _abortOrder = new();

    // By parity (id & 1): the highest aborted id forgotten.
    private readonly uint[] _forgottenUpTo = new uint[2];

    /// <summary>The highest stream id the peer has opened (0 before its first).</summary>
    public uint HighestPeerOpened { get; private set; }

    /// <summary>Notes the peer's <c>STREAM_OPEN</c>; false when the id is not above every one before (a late copy).</summary>
    public bool TryOpenPeerStream(uint id)
    {
        if (id <= HighestPeerOpened)
        {
            return false;
        }

        HighestPeerOpened = id;
        return true;
    }

    /// <summary>A stream ended by a reset, or was refused.</summary>
    public void Aborted(uint id, StreamResetReason reason)
    {
        if (_aborted.TryAdd(id, reason))
        {
            _abortOrder.Enqueue(id);
        }
        else
        {
            _aborted[id] = reason;
        }

        while (_abortOrder.Count > AbortsRemembered)
        {
            var oldest = _abortOrder.Dequeue();
            _aborted.Remove(oldest);
            _forgottenUpTo[oldest & 1] = Math.Max(_forgottenUpTo[oldest & 1], oldest);
        }
    }

    /// <summary>
    /// The reset late data for an ended stream gets again: its reason when remembered; <c>Cancelled</c>
    /// when it may have been one of the forgotten. False: the stream ended cleanly.
    /// </summary>
    public bool TryGetReset(uint id, out StreamResetReason reason)
    {
        if (_aborted.TryGetValue(id, out reason))
        {
            return true;
        }

        reason = StreamResetReason.Cancelled;
        return id <= _forgottenUpTo[id & 1];
    }

    /// <summary>Resets remembered now.</summary>
    public int AbortCount => _aborted.Count;
}
