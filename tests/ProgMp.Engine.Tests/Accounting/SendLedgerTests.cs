using Microsoft.Extensions.Logging.Abstractions;
using ProgMp.Engine.Accounting;
using ProgMp.Engine.Sessions;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Tests.Support;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Accounting;

/// <summary>
/// The ledger's transitions on their own, without sockets: a packet queued, written, acknowledged,
/// taken back, abandoned, and the subflow counts and rate samples each one leaves.
/// </summary>
[TestFixture]
public sealed class SendLedgerTests
{
    private const int PacketSize = 1000;

    private SessionCore _session = null!;
    private StreamCore _stream = null!;
    private SendLedger _ledger = null!;
    private long _nextSeq;

    [SetUp]
    public void SetUp()
    {
        // A session with no subflow: only its streams are used, to own the packets.
        _session = new SessionCore(isClient: true, token: 1, default, version: 1, peerInitialWindow: 1 << 20, EngineTestKit.Options(tls: false), NullLogger.Instance);
        _stream = _session.OpenStream(Destination.None);
        _ledger = new SendLedger();
        _nextSeq = 0;
    }

    [TearDown]
    public void TearDown()
    {
        lock (_session.Gate)
        {
            _session.EndLocked("test over", sendClose: false);
        }
    }

    private OutboundPacket NewPacket(int units = 1)
    {
        var length = units * PacketSize;
        var packet = new OutboundPacket(_stream, _nextSeq, PayloadPool.Shared.Rent(length), length, units, user: 0, psh: false, fin: false);
        _nextSeq += length;
        return packet;
    }

    private OutboundPacket Written(SubflowAccount account, long nowUs)
    {
        var packet = NewPacket();
        SendLedger.Queued(packet, account);
        SendLedger.Written(packet, account, nowUs);
        return packet;
    }

    [Test]
    public void A_packet_counts_as_queued_then_in_flight_then_delivered()
    {
        var account = _ledger.Open(slot: 2, PacketSize, nowUs: 0);
        var packet = NewPacket();

        SendLedger.Queued(packet, account);
        Assert.Multiple(() =>
        {
            Assert.That(account.Queued, Is.EqualTo(1));
            Assert.That(account.QueuedBytes, Is.EqualTo(PacketSize));
            Assert.That(packet.SentOnMask, Is.EqualTo(1UL << 2), "SENT_ON names the subflow from the push on");
            Assert.That(packet.TransmitCount, Is.EqualTo(1));
            Assert.That(account.InFlight, Is.Zero);
        });

        SendLedger.Written(packet, account, nowUs: 1_000);
        Assert.Multiple(() =>
        {
            Assert.That(account.Queued, Is.Zero);
            Assert.That(account.QueuedBytes, Is.Zero);
            Assert.That(account.InFlight, Is.EqualTo(1));
            Assert.That(account.PayloadBytesSent, Is.EqualTo(PacketSize));
            Assert.That(account.OldestInFlight(), Is.SameAs(packet));
        });

        Assert.That(_ledger.Acknowledged(packet, account.Slot, carrierKnown: true, nowUs: 21_000), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(account.InFlight, Is.Zero);
            Assert.That(account.Delivered, Is.EqualTo(PacketSize));
            Assert.That(account.PayloadBytesAcked, Is.EqualTo(PacketSize));
            Assert.That(account.OldestInFlight(), Is.Null);
            Assert.That(packet.PayloadMemory.IsEmpty, Is.True, "the payload goes back to the pool once nothing can send it");
        });
    }

    [Test]
    public void A_bulk_segment_counts_as_many_packets_as_it_has_packet_sizes()
    {
        var account = _ledger.Open(0, PacketSize, 0);
        var segment = NewPacket(units: 3);

        SendLedger.Queued(segment, account);
        Assert.That((account.Queued, account.QueuedBytes), Is.EqualTo((3, 3 * PacketSize)));

        SendLedger.Written(segment, account, 1_000);
        Assert.That((account.Queued, account.InFlight), Is.EqualTo((0, 3)));

        var taken = new List<OutboundPacket>();
        SendLedger.TakeBackInFlight(account, taken);
        SendLedger.Lost(segment, account);
        Assert.That((account.InFlight, account.DataLevelLost), Is.EqualTo((0, 3)));
    }

    [Test]
    public void A_second_acknowledgement_of_a_packet_counts_nothing()
    {
        var account = _ledger.Open(0, PacketSize, 0);
        var packet = Written(account, 1_000);

        Assert.That(_ledger.Acknowledged(packet, account.Slot, carrierKnown: true, 10_000), Is.True);
        Assert.That(_ledger.Acknowledged(packet, account.Slot, carrierKnown: true, 11_000), Is.False);
        Assert.Multiple(() =>
        {
            Assert.That(account.Delivered, Is.EqualTo(PacketSize));
            Assert.That(account.InFlight, Is.Zero);
        });
    }

    [Test]
    public void An_acknowledgement_ends_the_flight_of_every_copy()
    {
        var first = _ledger.Open(0, PacketSize, 0);
        var second = _ledger.Open(1, PacketSize, 0);
        var packet = NewPacket();
        SendLedger.Queued(packet, first);
        SendLedger.Written(packet, first, 1_000);
        SendLedger.Queued(packet, second);
        SendLedger.Written(packet, second, 1_100);
        Assert.That((first.InFlight, second.InFlight), Is.EqualTo((1, 1)));

        _ledger.Acknowledged(packet, second.Slot, carrierKnown: true, 5_000);

        Assert.Multiple(() =>
        {
            Assert.That((first.InFlight, second.InFlight), Is.EqualTo((0, 0)));
            Assert.That(second.Delivered, Is.EqualTo(PacketSize), "the carrier the echo named is credited");
            Assert.That(first.Delivered, Is.Zero);
        });
    }

    [Test]
    public void A_copy_taken_back_unwritten_is_forgotten_by_sent_on()
    {
        var account = _ledger.Open(3, PacketSize, 0);
        var packet = NewPacket();
        SendLedger.Queued(packet, account);

        SendLedger.Unqueued(packet, account);

        Assert.Multiple(() =>
        {
            Assert.That(packet.SentOnMask, Is.Zero, "a copy that never reached the socket never left");
            Assert.That(packet.TransmitCount, Is.Zero);
            Assert.That(account.Queued, Is.Zero);
            Assert.That(account.QueuedBytes, Is.Zero);
            Assert.That(packet.QueuedCopies, Is.Zero);
        });
    }

    [Test]
    public void A_retransmission_taken_back_unwritten_keeps_the_earlier_copy_in_sent_on()
    {
        var account = _ledger.Open(3, PacketSize, 0);
        var packet = Written(account, 1_000);
        SendLedger.Queued(packet, account);

        SendLedger.Unqueued(packet, account);

        Assert.Multiple(() =>
        {
            Assert.That(packet.SentOnMask, Is.EqualTo(1UL << 3), "the first copy did leave on this subflow");
            Assert.That(packet.TransmitCount, Is.EqualTo(1));
            Assert.That(account.InFlight, Is.EqualTo(1));
        });
    }

    [Test]
    public void A_copy_skipped_because_it_was_acknowledged_leaves_the_queue_count()
    {
        var first = _ledger.Open(0, PacketSize, 0);
        var second = _ledger.Open(1, PacketSize, 0);
        var packet = Written(first, 1_000);
        SendLedger.Queued(packet, second);
        _ledger.Acknowledged(packet, first.Slot, carrierKnown: true, 2_000);
        Assert.That(packet.PayloadMemory.IsEmpty, Is.False, "a queued copy keeps the payload");

        SendLedger.Skipped(packet, second);

        Assert.Multiple(() =>
        {
            Assert.That(second.Queued, Is.Zero);
            Assert.That(second.InFlight, Is.Zero);
            Assert.That(packet.PayloadMemory.IsEmpty, Is.True, "the last copy gone, the payload is released");
        });
    }

    [Test]
    public void A_delivery_gives_the_carrier_a_rate_sample()
    {
        var account = _ledger.Open(0, PacketSize, 0);
        account.Rtt.AddSample(10_000, 0);
        var packet = Written(account, 1_000);

        _ledger.Acknowledged(packet, account.Slot, carrierKnown: true, 11_000);

        // One packet over the 10 ms since its send: 100,000 bytes per second.
        Assert.That(account.Congestion.BottleneckBytesPerSecond, Is.EqualTo(100_000));
    }

    /// <summary>Karn's rule: an ack cannot say which of two copies it answers, so none gives a sample.</summary>
    [TestCase(true, TestName = "No_rate_sample_from_a_packet_its_carrier_wrote_twice_even_when_echoed")]
    [TestCase(false, TestName = "No_rate_sample_from_a_packet_its_carrier_wrote_twice_acknowledged_cumulatively")]
    public void No_rate_sample_from_a_packet_written_twice_on_one_subflow(bool carrierKnown)
    {
        var account = _ledger.Open(0, PacketSize, 0);
        account.Rtt.AddSample(10_000, 0);
        var packet = Written(account, 1_000);
        SendLedger.Queued(packet, account);
        SendLedger.Written(packet, account, 50_000);

        _ledger.Acknowledged(packet, account.Slot, carrierKnown, 51_000);

        Assert.Multiple(() =>
        {
            Assert.That(account.Congestion.BottleneckBytesPerSecond, Is.Zero);
            Assert.That(account.Delivered, Is.EqualTo(PacketSize), "the delivery still counts");
        });
    }

    [Test]
    public void A_cumulative_ack_of_a_packet_with_copies_on_two_subflows_gives_no_sample()
    {
        var first = _ledger.Open(0, PacketSize, 0);
        var second = _ledger.Open(1, PacketSize, 0);
        var packet = Written(first, 1_000);
        SendLedger.Queued(packet, second);
        SendLedger.Written(packet, second, 1_500);

        _ledger.Acknowledged(packet, packet.LastSlot, carrierKnown: false, 20_000);

        Assert.Multiple(() =>
        {
            Assert.That(second.Congestion.BottleneckBytesPerSecond, Is.Zero, "no carrier named: either copy may have arrived");
            Assert.That(second.Delivered, Is.EqualTo(PacketSize));
        });
    }

    [Test]
    public void An_echo_naming_the_first_copys_carrier_times_the_sample_from_that_copy()
    {
        var first = _ledger.Open(0, PacketSize, 0);
        var second = _ledger.Open(1, PacketSize, 0);
        var packet = Written(first, 1_000);
        SendLedger.Queued(packet, second);
        SendLedger.Written(packet, second, 6_000);

        _ledger.Acknowledged(packet, first.Slot, carrierKnown: true, 11_000);

        // Timed from the first copy's send (1 ms), not the second's (6 ms): 1000 bytes in 10 ms.
        Assert.That(first.Congestion.BottleneckBytesPerSecond, Is.EqualTo(100_000));
    }

    [Test]
    public void Taking_back_what_a_subflow_has_in_flight_empties_its_count_for_good()
    {
        var account = _ledger.Open(0, PacketSize, 0);
        var a = Written(account, 1_000);
        var b = Written(account, 1_100);
        var taken = new List<OutboundPacket>();

        SendLedger.TakeBackInFlight(account, taken);

        Assert.Multiple(() =>
        {
            Assert.That(taken, Is.EqualTo(new[] { a, b }));
            Assert.That(account.InFlight, Is.Zero);
            Assert.That(account.OldestInFlight(), Is.Null);
        });

        // Their late acknowledgement must not count them out of flight a second time.
        _ledger.Acknowledged(a, account.Slot, carrierKnown: true, 5_000);
        Assert.That(account.InFlight, Is.Zero);
    }

    [Test]
    public void A_closed_account_is_not_credited_and_its_slot_can_be_reopened()
    {
        var dead = _ledger.Open(4, PacketSize, 0);
        var packet = Written(dead, 1_000);
        _ledger.Close(dead);
        _stream.State.QU.Add(packet);

        // A newcomer takes the slot: the dead subflow's copy must not look like its own.
        SendLedger.ForgetSlot(4, [_stream.State.Q, _stream.State.QU, _stream.State.RQ]);
        var newcomer = _ledger.Open(4, PacketSize, 2_000);
        _ledger.Acknowledged(packet, packet.LastSlot, carrierKnown: false, 3_000);

        Assert.Multiple(() =>
        {
            Assert.That(dead.IsClosed, Is.True);
            Assert.That(packet.SentOnMask & (1UL << 4), Is.Zero);
            Assert.That(newcomer.Delivered, Is.Zero);
            Assert.That(newcomer.InFlight, Is.Zero);
        });
    }

    [Test]
    public void An_open_slot_cannot_be_opened_twice()
    {
        _ledger.Open(5, PacketSize, 0);
        Assert.That(() => _ledger.Open(5, PacketSize, 0), Throws.InvalidOperationException);
    }

    [Test]
    public void An_abandoned_packet_leaves_flight_and_gives_its_payload_back()
    {
        var account = _ledger.Open(0, PacketSize, 0);
        var packet = Written(account, 1_000);

        _ledger.Abandoned(packet);

        Assert.Multiple(() =>
        {
            Assert.That(account.InFlight, Is.Zero);
            Assert.That(packet.Acked, Is.True);
            Assert.That(packet.PayloadMemory.IsEmpty, Is.True);
            Assert.That(account.Delivered, Is.Zero, "abandoned is not delivered");
        });
    }
}
