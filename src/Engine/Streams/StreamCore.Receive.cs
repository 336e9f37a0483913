using ProgMp.Engine.Reordering;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Streams;

internal sealed partial class StreamCore
{
    public long BytesRead { get; private set; }

    /// <summary>
    /// Data arrived for the reader during the current read from a subflow: the session wakes the reader
    /// once at the end of that read, after the lock is let go (<see cref="Sessions.SessionCore.EndOfReadLocked"/>).
    /// </summary>
    public bool ReaderWakeDue { get; set; }

    /// <summary>A DATA frame for this stream arrived; the reader is to be woken at the end of the read (<see cref="ReaderWakeDue"/>).</summary>
    public ReceiveOutcome OnDataLocked(in DataFrame frame, long nowUs)
    {
        var outcome = Receive.Receive(frame.Seq, frame.Payload, frame.Fin, nowUs);
        if (outcome == ReceiveOutcome.Accepted)
        {
            if (ReadClosed)
            {
                DiscardReadable();
            }
            else if (Receive.Readable > 0 || Receive.FinReceived)
            {
                ReaderWakeDue = true;
            }
        }

        return outcome;
    }

    /// <summary>The acknowledgement echoing <paramref name="pending"/>; false when the stream may not acknowledge (not opened yet, or reset).</summary>
    public bool TryCreateEchoAck(in PendingEcho pending, long nowUs, out DataAckFrame ack)
    {
        if (!CanAcknowledge || IsReset)
        {
            ack = default;
            return false;
        }

        Receive.OfferWindow();
        var hold = (uint)Math.Clamp(nowUs - pending.ArrivalUs, 0, uint.MaxValue);
        var echo = new AckEcho(pending.Seq, pending.Length, pending.Timestamp, pending.SubflowId, hold);
        ack = new DataAckFrame(Id, Receive.CumulativeAck, Receive.Window, nowUs, echo);
        return true;
    }

    /// <summary>A plain acknowledgement: the answer to STREAM_OPEN, or a window update after the application read.</summary>
    public DataAckFrame CreateAck(long nowUs)
    {
        Receive.OfferWindow();
        return new DataAckFrame(Id, Receive.CumulativeAck, Receive.Window, nowUs);
    }

    /// <summary>None of a stream's data is acknowledged before its STREAM_OPEN (docs/protocol.md, 8.2).</summary>
    public bool CanAcknowledge => OpenedLocally || OpenReceived;

    /// <summary>The application read enough that the peer should hear of a larger window.</summary>
    public bool WindowUpdateDue => CanAcknowledge && Receive.GrowthDue;

    /// <summary>Copies readable bytes to the application; 0 means nothing now (see <see cref="Receive"/>'s <c>Completed</c>).</summary>
    public int ReadLocked(Span<byte> destination)
    {
        var n = Receive.Read(destination);
        BytesRead += n;
        return n;
    }

    /// <summary>The application closed its reading side: what arrives is acknowledged and dropped, so the peer is never stuck.</summary>
    public void DiscardReadable()
    {
        Span<byte> scratch = stackalloc byte[4096];
        while (Receive.Read(scratch) > 0)
        {
        }
    }
}
