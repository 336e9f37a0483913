using System.Numerics;
using ProgMp.Engine.Streams;
using ProgMp.Runtime.Model;

namespace ProgMp.Engine.Accounting;

/// <summary>
/// The one owner of a session's send-side bookkeeping: for every packet, which subflows it was
/// pushed to (SENT_ON), wrote it, and still have it in flight, and how many copies wait in queues;
/// for every subflow (<see cref="SubflowAccount"/>), its packets queued, in flight and delivered, and
/// the delivery-rate samples its window grows from. Each way a packet or a subflow can change is one
/// method here, so the counts agree by construction:
/// <list type="bullet">
/// <item><see cref="Queued"/>: a scheduler pushed the packet to a subflow.</item>
/// <item><see cref="Written"/>: the subflow wrote it to its socket.</item>
/// <item><see cref="Skipped"/> / <see cref="Unqueued"/>: it left a queue unwritten (acknowledged meanwhile / the subflow failed).</item>
/// <item><see cref="Acknowledged"/>: the receiver has it.</item>
/// <item><see cref="TakeBackInFlight"/> and <see cref="Lost"/>: the subflow timed out or failed with it in flight.</item>
/// <item><see cref="Abandoned"/>: the stream was reset or the session ended.</item>
/// </list>
/// Guarded by the session's lock; it knows no sockets and no streams, so it is tested on its own.
/// </summary>
internal sealed class SendLedger
{
    private readonly SubflowAccount?[] _accounts = new SubflowAccount?[SubflowView.MaxSlots];

    /// <summary>A subflow took <paramref name="slot"/>: its account starts empty.</summary>
    public SubflowAccount Open(int slot, int packetSize, long nowUs)
    {
        if (_accounts[slot] is not null)
        {
            throw new InvalidOperationException($"Slot {slot} has an open account.");
        }

        var account = new SubflowAccount(slot, packetSize, nowUs);
        _accounts[slot] = account;
        return account;
    }

    /// <summary>The subflow ended: later acknowledgements of what it carried count for nobody.</summary>
    public void Close(SubflowAccount account)
    {
        if (ReferenceEquals(_accounts[account.Slot], account))
        {
            _accounts[account.Slot] = null;
        }

        account.IsClosed = true;
    }

    public SubflowAccount? AccountAt(int slot) => (uint)slot < (uint)_accounts.Length ? _accounts[slot] : null;

    /// <summary>A scheduler pushed <paramref name="packet"/> to the subflow: from now on SENT_ON says so, and a copy waits in its queue.</summary>
    public static void Queued(OutboundPacket packet, SubflowAccount account)
    {
        packet.SentOnMask |= account.Bit;
        packet.TransmitCount++;
        packet.QueuedCopies++;
        account.Queued += packet.Units;
        account.QueuedBytes += packet.Length;
    }

    /// <summary>A queued copy was not written because the packet was acknowledged meanwhile.</summary>
    public static void Skipped(OutboundPacket packet, SubflowAccount account)
    {
        LeaveQueue(packet, account);
        packet.ReleaseIfDone();
    }

    /// <summary>
    /// A queued copy was taken back from a subflow that failed. A copy that never reached the socket
    /// never left: it is not a transmission, and unless an earlier copy was written there SENT_ON
    /// forgets the subflow, so a program that retransmits only on subflows that have not carried a
    /// packet may use it again.
    /// </summary>
    public static void Unqueued(OutboundPacket packet, SubflowAccount account)
    {
        LeaveQueue(packet, account);
        packet.TransmitCount--;
        if ((packet.WrittenMask & account.Bit) == 0)
        {
            packet.SentOnMask &= ~account.Bit;
        }

        packet.ReleaseIfDone();
    }

    /// <summary>The subflow wrote a queued copy to its socket: it is in flight there, and its send is recorded for a rate sample.</summary>
    public static void Written(OutboundPacket packet, SubflowAccount account, long nowUs)
    {
        LeaveQueue(packet, account);
        if (account.InFlight == 0)
        {
            // Restarting from idle: a rate sample must not count the idle time.
            account.DeliveredTimeUs = nowUs;
        }

        if ((packet.WrittenMask & account.Bit) != 0)
        {
            packet.RewrittenMask |= account.Bit;
        }

        packet.WrittenMask |= account.Bit;
        if ((packet.InFlightMask & account.Bit) == 0)
        {
            packet.InFlightMask |= account.Bit;
            account.InFlight += packet.Units;
        }

        if (packet.LastSentUs != 0)
        {
            account.RetransmittedBytesSent += packet.Length;
        }

        packet.LastSentUs = nowUs;
        packet.LastSlot = account.Slot;
        packet.DeliveredAtSend = account.Delivered;
        packet.DeliveredTimeAtSendUs = account.DeliveredTimeUs;
        if (packet.FirstSlot < 0)
        {
            packet.FirstSlot = account.Slot;
            packet.FirstSentUs = nowUs;
            packet.FirstDeliveredAtSend = account.Delivered;
            packet.FirstDeliveredTimeAtSendUs = account.DeliveredTimeUs;
        }

        account.Outstanding.Enqueue(packet);
        account.PayloadBytesSent += packet.Length;
        account.SendMeter.Add(packet.Length, nowUs);
    }

    /// <summary>
    /// The receiver has <paramref name="packet"/>: no subflow has it in flight any more, and the subflow
    /// in <paramref name="creditedSlot"/> delivered it: by an echo saying its copy arrived over that
    /// subflow (<paramref name="carrierKnown"/>), or else by a cumulative ack, credited to the subflow
    /// that wrote the latest copy. Returns false when it was acknowledged before.
    /// </summary>
    public bool Acknowledged(OutboundPacket packet, int creditedSlot, bool carrierKnown, long nowUs)
    {
        if (packet.Acked)
        {
            return false;
        }

        packet.Acked = true;
        LeaveFlight(packet);
        if (AccountAt(creditedSlot) is { } carrier)
        {
            Deliver(carrier, packet, carrierKnown, nowUs);
        }

        packet.ReleaseIfDone();
        return true;
    }

    /// <summary>
    /// The subflow timed out or failed: what it has in flight is no longer counted there, and goes to
    /// <paramref name="into"/> for the caller to decide what to send again.
    /// </summary>
    public static void TakeBackInFlight(SubflowAccount account, List<OutboundPacket> into)
    {
        while (account.Outstanding.TryDequeue(out var packet))
        {
            if ((packet.InFlightMask & account.Bit) != 0)
            {
                packet.InFlightMask &= ~account.Bit;
                into.Add(packet);
            }
        }

        account.InFlight = 0;
    }

    /// <summary>A packet the subflow carried is inferred lost at the data level: it was put in RQ.</summary>
    public static void Lost(OutboundPacket packet, SubflowAccount account) => account.DataLevelLost += packet.Units;

    /// <summary>Nothing will send or acknowledge the packet again: the stream was reset or the session ended.</summary>
    public void Abandoned(OutboundPacket packet)
    {
        LeaveFlight(packet);
        packet.Abandon();
    }

    /// <summary>
    /// A slot is about to mean another subflow: packets still naming it as a carrier (a dead subflow's)
    /// forget it, or the newcomer would seem to have carried them and be credited with deliveries
    /// timed from the dead one's sends.
    /// </summary>
    public static void ForgetSlot(int slot, ReadOnlySpan<PacketList> lists)
    {
        var bit = 1UL << slot;
        foreach (var list in lists)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var packet = (OutboundPacket)list.ItemAt(i);
                packet.SentOnMask &= ~bit;
                packet.WrittenMask &= ~bit;
                packet.RewrittenMask &= ~bit;
                packet.InFlightMask &= ~bit;
                if (packet.FirstSlot == slot)
                {
                    packet.FirstSlot = -1;
                }

                if (packet.LastSlot == slot)
                {
                    packet.LastSlot = -1;
                }
            }
        }
    }

    private static void LeaveQueue(OutboundPacket packet, SubflowAccount account)
    {
        account.Queued -= packet.Units;
        account.QueuedBytes -= packet.Length;
        packet.QueuedCopies--;
    }

    private void LeaveFlight(OutboundPacket packet)
    {
        var mask = packet.InFlightMask;
        while (mask != 0)
        {
            var slot = BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
            if (_accounts[slot] is { } account)
            {
                account.InFlight -= packet.Units;
            }
        }

        packet.InFlightMask = 0;
    }

    /// <summary>Counts a delivery for the carrier and takes the delivery-rate sample its window grows from.</summary>
    private static void Deliver(SubflowAccount carrier, OutboundPacket packet, bool carrierKnown, long nowUs)
    {
        var bytes = Math.Max(1, packet.Length);
        carrier.Delivered += bytes;
        carrier.DeliveredTimeUs = nowUs;
        carrier.PayloadBytesAcked += packet.Length;
        carrier.AckMeter.Add(packet.Length, nowUs);

        // Karn's rule: a sample is timed from the copy this subflow wrote, and only if it wrote one copy
        // (an ack cannot say which of two copies on one subflow it answers, and one timed from the later
        // would claim a rate the path never had). Copies on other subflows (a redundant scheduler's) do
        // not matter when an echo names this subflow as the carrier; a cumulative ack names none, so then
        // the packet must have gone out once in all.
        if ((packet.RewrittenMask & carrier.Bit) != 0 || (!carrierKnown && packet.TransmitCount != 1))
        {
            return;
        }

        long sentUs, deliveredAtSend, deliveredTimeAtSendUs;
        if (packet.LastSlot == carrier.Slot)
        {
            (sentUs, deliveredAtSend, deliveredTimeAtSendUs) = (packet.LastSentUs, packet.DeliveredAtSend, packet.DeliveredTimeAtSendUs);
        }
        else if (packet.FirstSlot == carrier.Slot)
        {
            (sentUs, deliveredAtSend, deliveredTimeAtSendUs) = (packet.FirstSentUs, packet.FirstDeliveredAtSend, packet.FirstDeliveredTimeAtSendUs);
        }
        else
        {
            // A middle copy of three or more, or the carrier never wrote one: no send is recorded.
            return;
        }

        if (sentUs == 0)
        {
            return;
        }

        // BBR's sample: what was delivered between this packet's send and its ack, over the longer of
        // the two spans, so an ack burst cannot claim more than the path carried.
        var interval = Math.Max(nowUs - deliveredTimeAtSendUs, nowUs - sentUs);
        if (carrier.HasDelay)
        {
            carrier.AckLegQueueing.Add(nowUs - sentUs - carrier.OutRawUs, nowUs);
        }

        carrier.Congestion.OnRateSample(carrier.Delivered - deliveredAtSend, interval, carrier.Rtt.MinUs, carrier.AckWaitUs, carrier.AckMeter.LastSecond(nowUs), nowUs);
        if (deliveredAtSend >= carrier.RoundStartDelivered)
        {
            carrier.RoundStartDelivered = carrier.Delivered;
            carrier.Congestion.OnRoundEnd();
        }
    }
}
