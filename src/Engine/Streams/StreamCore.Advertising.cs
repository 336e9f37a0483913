using ProgMp.Engine.Subflows;

namespace ProgMp.Engine.Streams;

internal sealed partial class StreamCore
{
    // The right edge the peer was sent for sure (its DATA_ACK reached a socket), and a later one still
    // queued on a subflow: that one counts only once written, since it dies with its subflow otherwise.
    private long _writtenEdge;
    private long _queuedEdge;
    private ControlQueue? _queuedOn;
    private long _queuedEnd;

    /// <summary>
    /// The right edge the peer has been told of, or is about to be: what a window update is measured
    /// against. An edge queued on a subflow that died before writing it does not count.
    /// </summary>
    public long LastAdvertisedEdge
    {
        get
        {
            SettleAdvertised();
            return _queuedOn is null ? _writtenEdge : Math.Max(_writtenEdge, _queuedEdge);
        }
    }

    /// <summary>A DATA_ACK with the current window was just queued on <paramref name="queue"/> (a subflow's control queue).</summary>
    public void NoteAdvertised(ControlQueue queue)
    {
        SettleAdvertised();
        var edge = Receive.RightEdge;
        if (edge > _writtenEdge)
        {
            _queuedEdge = edge;
            _queuedOn = queue;
            _queuedEnd = queue.BytesQueued;
        }
    }

    private void SettleAdvertised()
    {
        if (_queuedOn is not { } carrier)
        {
            return;
        }

        if (carrier.IsWritten(_queuedEnd))
        {
            _writtenEdge = Math.Max(_writtenEdge, _queuedEdge);
            _queuedOn = null;
        }
        else if (carrier.IsClosed)
        {
            _queuedOn = null;
        }
    }
}
