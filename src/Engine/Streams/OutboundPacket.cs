using ProgMp.Engine.Wire;
using ProgMp.Runtime.Model;

namespace ProgMp.Engine.Streams;

/// <summary>
/// A segment of a stream's outgoing data: the scheduler's <see cref="Packet"/> plus its payload and
/// what the engine tracks of its transmissions. Guarded by the session's lock.
/// </summary>
internal sealed class OutboundPacket : Packet
{
    private byte[]? _buffer;

    public OutboundPacket(StreamCore stream, long seq, byte[]? buffer, int length, int units, long user, bool psh, bool fin)
        : base(seq, length, user, psh)
    {
        Stream = stream;
        _buffer = buffer;
        Units = units;
        Fin = fin;
    }

    public StreamCore Stream { get; }

    public uint StreamId => Stream.Id;

    /// <summary>The packet lies within the peer's window for its stream: it may be written now.</summary>
    public bool WithinPeerWindow => Seq + Length <= Stream.PeerRightEdge;

    /// <summary>
    /// How many packets of the configured size this segment counts as in SKBS_IN_FLIGHT, QUEUED and
    /// against CWND (<see cref="SegmentSize"/>): 1 but for a bulk segment of several packet sizes.
    /// </summary>
    public int Units { get; }

    /// <summary>The stream's direction ends with this packet; it has no payload and takes one sequence number.</summary>
    public bool Fin { get; }

    /// <summary>First sequence number after the packet, counting the FIN's.</summary>
    public long End => Seq + Length + (Fin ? 1 : 0);

    public ReadOnlyMemory<byte> PayloadMemory => _buffer is null ? default : _buffer.AsMemory(0, (int)Length);

    /// <summary>The receiver has it: it left Q, QU and RQ and is never sent again.</summary>
    public bool Acked;

    /// <summary>Copies waiting in subflow queues: the payload stays until the last is written or skipped.</summary>
    public int QueuedCopies;

    /// <summary>One bit per subflow slot that wrote a copy to its socket: the copies that really left.</summary>
    public ulong WrittenMask;

    /// <summary>One bit per subflow slot whose copy was written to the socket and is not acknowledged.</summary>
    public ulong InFlightMask;

    /// <summary>When the latest copy was written, microseconds.</summary>
    public long LastSentUs;

    /// <summary>The slot of the subflow that wrote the latest copy.</summary>
    public int LastSlot = -1;

    /// <summary>The sending subflow's delivered bytes and the time of its last delivery when the latest copy went out: a delivery-rate sample's start.</summary>
    public long DeliveredAtSend;

    public long DeliveredTimeAtSendUs;

    /// <summary>
    /// The same for the first copy written: with copies on several subflows (redundant schedulers) the
    /// first is usually the one that arrives, and its subflow needs its own rate sample.
    /// </summary>
    public int FirstSlot = -1;

    public long FirstSentUs;

    public long FirstDeliveredAtSend;

    public long FirstDeliveredTimeAtSendUs;

    /// <summary>One bit per subflow slot that wrote the packet more than once: no rate sample can be timed on that subflow (Karn's rule).</summary>
    public ulong RewrittenMask;

    /// <summary>Socket writes in progress that read the payload straight from its buffer: the buffer goes back to the pool only after them.</summary>
    public int PinnedWrites;

    /// <summary>Returns the payload buffer to the pool once nothing can send it any more.</summary>
    public void ReleaseIfDone()
    {
        if (Acked && QueuedCopies == 0 && PinnedWrites == 0 && _buffer is { } buffer)
        {
            _buffer = null;
            PayloadPool.Shared.Return(buffer);
        }
    }

    /// <summary>Drops the payload whatever its state (the stream was reset or the session closed), once no socket write reads it.</summary>
    public void Abandon()
    {
        Acked = true;
        if (PinnedWrites == 0 && _buffer is { } buffer)
        {
            _buffer = null;
            PayloadPool.Shared.Return(buffer);
        }
    }
}
