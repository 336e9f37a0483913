namespace ProgMp.Engine.Reordering;

/// <summary>
/// What a session's receivers may still promise the peer beyond each stream's initial window
/// (<see cref="MultipathLimits.SessionBufferBytes"/>), and the store of their out-of-order segments
/// (<see cref="MultipathLimits.SegmentsPerSession"/>). Stream windows grow only by taking from it, so
/// the bytes a session can be made to hold by a peer that keeps to the windows stay within the budget,
/// as a connection-level window bounds HTTP/2's and QUIC's stream windows. Guarded by the session's lock.
/// </summary>
internal sealed class ReceiveBudget
{
    public ReceiveBudget(long sharedBytes, int segments)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sharedBytes);
        Available = sharedBytes;
        Segments = new SegmentStore(segments);
    }

    /// <summary>Bytes of the shared pool no stream's window holds now.</summary>
    public long Available { get; private set; }

    public SegmentStore Segments { get; }

    /// <summary>Takes <paramref name="bytes"/>, which the caller checked are available.</summary>
    public void Take(long bytes)
    {
        if (bytes < 0 || bytes > Available)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "More than the budget has left.");
        }

        Available -= bytes;
    }

    public void Give(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Available += bytes;
    }
}
