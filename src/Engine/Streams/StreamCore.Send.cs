using System.Buffers;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Streams;

internal sealed partial class StreamCore
{
    /// <summary>
    /// A blocked writer wakes once this part of the send buffer is free, not at every acknowledgement:
    /// each wake-up is a hop to another thread, and a writer woken for one segment's room goes back to
    /// waiting after copying it.
    /// </summary>
    public const int WriterWakeFraction = 4;

    // At or below this many unacknowledged bytes a writer waiting for room is woken.
    private readonly long _writerWakeUnacked;

    /// <summary>The sequence number the application's next byte gets.</summary>
    public long NextSeq { get; private set; }

    /// <summary>Bytes written by the application and not yet acknowledged: what the send buffer holds.</summary>
    public long UnackedBytes { get; private set; }

    /// <summary>The application ended its direction: a FIN packet is in the stream.</summary>
    public bool FinQueued { get; private set; }

    public bool FinAcked { get; private set; }

    public long CumulativeAckReceived { get; private set; }

    /// <summary>The user value the packets the application writes next get (ProgMP's setUser).</summary>
    public long NextUser { get; set; }

    public long BytesWritten { get; private set; }

    public long BytesAcked { get; private set; }

    /// <summary>Bytes handed to a subflow again after an earlier copy (redundancy and retransmission alike).</summary>
    public long RetransmittedBytes { get; set; }

    /// <summary>Bytes put in RQ by the engine because the subflows that carried them failed or timed out.</summary>
    public long ReinjectedBytes { get; set; }

    public long Invocations { get; set; }

    public long RefusedDrops { get; set; }

    /// <summary>When the peer last acknowledged new data of this stream (or the stream was created): how a lingering close sees progress.</summary>
    public long LastAckProgressUs { get; private set; }

    /// <summary>Written data lies beyond the peer's right edge: the stream waits for a window update, which it probes for.</summary>
    public bool WaitsForWindow => !IsReset && NextSeq > PeerRightEdge;

    /// <summary>The application completed writes and the peer has not yet acknowledged everything up to the FIN.</summary>
    public bool SendPending => !IsReset && FinQueued && !FinAcked;

    /// <summary>In the session's list of streams that probe a closed window; when the next probe is due and the interval after it.</summary>
    public bool Probing { get; set; }

    public long ProbeDueUs { get; set; }

    public long ProbeIntervalUs { get; set; }

    /// <summary>In the session's list of streams closed by the application that still deliver their data.</summary>
    public bool Lingering { get; set; }

    /// <summary>When the application closed the stream while data was still unacknowledged.</summary>
    public long LingerSinceUs { get; set; }

    // The end of the acknowledged packet that reaches furthest, and its last byte: a byte the receiver
    // surely has, which a window probe sends again so that the receiver answers with its window.
    private long _ackedEnd;
    private byte _ackedLastByte;
    private byte[]? _probePayload;

    /// <summary>
    /// A window probe: the last byte the peer acknowledged, sent again. The receiver drops it as a
    /// duplicate and answers with a DATA_ACK that carries its current window (TCP's persist timer),
    /// so a lost window update cannot hang the stream. False before any byte was acknowledged.
    /// </summary>
    public bool TryCreateWindowProbe(long nowUs, ushort subflowId, out DataFrame probe)
    {
        if (_ackedEnd <= 0)
        {
            probe = default;
            return false;
        }

        _probePayload ??= new byte[1];
        _probePayload[0] = _ackedLastByte;
        probe = new DataFrame(Id, _ackedEnd - 1, nowUs, subflowId, _probePayload.AsMemory());
        return true;
    }

    /// <summary>The stream has something a scheduler could send: Q or RQ is not empty.</summary>
    public bool HasSendWork => !State.Q.IsEmpty || !State.RQ.IsEmpty;

    /// <summary>
    /// Cuts the application's bytes into segments of <paramref name="segmentSize"/> (the packet size, or
    /// several for a bulk write: <see cref="SegmentSize"/>) and appends them to Q. The caller checked the
    /// send buffer's room; returns how many bytes were taken.
    /// </summary>
    public int AppendLocked(ReadOnlySpan<byte> data, int packetSize, int segmentSize, bool push)
    {
        var taken = 0;
        while (taken < data.Length)
        {
            var length = Math.Min(segmentSize, data.Length - taken);
            var buffer = PayloadPool.Shared.Rent(length);
            data.Slice(taken, length).CopyTo(buffer);
            taken += length;
            var last = taken == data.Length;
            var packet = new OutboundPacket(this, NextSeq, buffer, length, SegmentSize.Units(length, packetSize), NextUser, push && last, fin: false);
            State.Q.Add(packet);
            NextSeq += length;
            UnackedBytes += length;
            BytesWritten += length;
        }

        return taken;
    }

    /// <summary>Marks the last packet still in Q as flushed (PSH), if it has not been sent.</summary>
    public void MarkPushLocked()
    {
        if (State.Q.Count > 0 && State.Q.ItemAt(State.Q.Count - 1) is OutboundPacket { TransmitCount: 0 } last)
        {
            last.Psh = true;
        }
    }

    /// <summary>Ends the application's direction: a FIN packet after the last byte.</summary>
    public void AppendFinLocked()
    {
        if (FinQueued)
        {
            return;
        }

        FinQueued = true;
        State.Q.Add(new OutboundPacket(this, NextSeq, null, 0, units: 1, NextUser, psh: true, fin: true));
    }

    /// <summary>
    /// A DATA_ACK for this stream. <paramref name="echoCarrierSlot"/> is the slot of the subflow its echo
    /// names as the carrier of the echoed data (the one it arrived on), or -1 when the echo cannot be
    /// attributed (none, another subflow's, or one older than the subflow).
    /// </summary>
    public AckEffects OnDataAckLocked(in DataAckFrame frame, int echoCarrierSlot, long nowUs)
    {
        OpenConfirmed = true;
        var finAcked = FinAcked;
        var edge = frame.CumulativeAck + frame.Window;
        var windowOpened = edge > PeerRightEdge;
        if (windowOpened)
        {
            PeerRightEdge = edge;
        }

        if (echoCarrierSlot >= 0)
        {
            AckEchoed(frame.Echo.Seq, frame.Echo.Seq + frame.Echo.Length, echoCarrierSlot, nowUs);
        }

        if (frame.CumulativeAck > CumulativeAckReceived)
        {
            CumulativeAckReceived = frame.CumulativeAck;
            AckBelow(frame.CumulativeAck, nowUs);
        }

        return (windowOpened ? AckEffects.WindowOpened : AckEffects.None)
            | (FinAcked && !finAcked ? AckEffects.SendCompleted : AckEffects.None);
    }

    /// <summary>The receiver has every byte below <paramref name="cumulativeAck"/>.</summary>
    private void AckBelow(long cumulativeAck, long nowUs)
    {
        var qu = State.QU;
        while (qu.Count > 0 && qu.ItemAt(0) is OutboundPacket head && head.End <= cumulativeAck)
        {
            qu.RemoveAt(0);
            MarkAcked(head, head.LastSlot, carrierKnown: false, nowUs);
        }

        // A packet pushed as Q.TOP without a POP can be acknowledged while still in Q.
        var q = State.Q;
        while (q.Count > 0 && q.ItemAt(0) is OutboundPacket head && head.End <= cumulativeAck)
        {
            q.RemoveAt(0);
            MarkAcked(head, head.LastSlot, carrierKnown: false, nowUs);
        }

        RemoveAckedFromRq();
    }

    /// <summary>
    /// An echo says the packets in [<paramref name="seq"/>, <paramref name="end"/>) arrived over
    /// the subflow in <paramref name="carrierSlot"/> (an empty range: the one packet at <paramref name="seq"/>, a bare FIN).
    /// </summary>
    private void AckEchoed(long seq, long end, int carrierSlot, long nowUs)
    {
        if (end < CumulativeAckReceived || (end == seq && seq < CumulativeAckReceived))
        {
            return;
        }

        if (AckRange(State.QU, seq, end, carrierSlot, nowUs, sentOnly: false))
        {
            RemoveAckedFromRq();
        }

        AckRange(State.Q, seq, end, carrierSlot, nowUs, sentOnly: true);
    }

    /// <summary>Acknowledges the packets of a seq-sorted list that lie within the range; true if there were any.</summary>
    private bool AckRange(Runtime.Model.PacketList list, long seq, long end, int carrierSlot, long nowUs, bool sentOnly)
    {
        var any = false;
        var index = list.LowerBoundSeq(seq);
        while (index < list.Count && list.ItemAt(index) is OutboundPacket packet
            && (packet.Seq < end || packet.Seq == seq) && packet.Seq + packet.Length <= Math.Max(end, seq))
        {
            // In Q only a packet pushed as Q.TOP without a POP can have been sent.
            if (sentOnly && packet.TransmitCount == 0)
            {
                index++;
                continue;
            }

            list.RemoveAt(index);
            MarkAcked(packet, carrierSlot, carrierKnown: true, nowUs);
            any = true;
        }

        return any;
    }

    private void RemoveAckedFromRq()
    {
        var rq = State.RQ;
        for (var i = rq.Count - 1; i >= 0; i--)
        {
            if (((OutboundPacket)rq.ItemAt(i)).Acked)
            {
                rq.RemoveAt(i);
            }
        }
    }

    private void MarkAcked(OutboundPacket packet, int deliveredBySlot, bool carrierKnown, long nowUs)
    {
        if (packet.Acked)
        {
            return;
        }

        LastAckProgressUs = nowUs;
        if (packet.Length > 0 && packet.Seq + packet.Length > _ackedEnd && !packet.PayloadMemory.IsEmpty)
        {
            _ackedEnd = packet.Seq + packet.Length;
            _ackedLastByte = packet.PayloadMemory.Span[(int)packet.Length - 1];
        }

        _ledger.Acknowledged(packet, deliveredBySlot, carrierKnown, nowUs);
        UnackedBytes -= packet.Length;
        BytesAcked += packet.Length;
        if (packet.Fin)
        {
            FinAcked = true;
        }

        if (UnackedBytes <= _writerWakeUnacked || packet.Fin)
        {
            Writable.Set();
        }
    }

    /// <summary>Every unacknowledged packet goes: the stream was reset or the session ended.</summary>
    public void AbandonSendLocked()
    {
        foreach (var list in (ReadOnlySpan<Runtime.Model.PacketList>)[State.Q, State.QU, State.RQ])
        {
            for (var i = 0; i < list.Count; i++)
            {
                _ledger.Abandoned((OutboundPacket)list.ItemAt(i));
            }

            list.Clear();
        }

        UnackedBytes = 0;
    }
}
