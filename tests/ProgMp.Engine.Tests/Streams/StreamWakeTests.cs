using Microsoft.Extensions.Logging.Abstractions;
using ProgMp.Engine.Reordering;
using ProgMp.Engine.Sessions;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Tests.Support;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Streams;

/// <summary>
/// When a stream wakes the application: a writer waiting for room once a quarter of the send buffer is
/// free (not at every acknowledgement), a reader once per read from a subflow (not at every frame).
/// Each wake-up is a hop to another thread. Driven without sockets, on a session with no subflow.
/// </summary>
[TestFixture]
public sealed class StreamWakeTests
{
    private const int PacketSize = 1000;
    private const int SendBufferLimit = 64 * PacketSize;

    private SessionCore _session = null!;
    private StreamCore _stream = null!;

    [SetUp]
    public void SetUp()
    {
        var options = new MultipathOptions
        {
            Registry = EngineTestKit.LoadLibrary(),
            DefaultScheduler = "minRtt",
            Security = TestSecurity.For(false),
            PacketSize = PacketSize,
            SendBufferLimit = SendBufferLimit,
        };
        _session = new SessionCore(isClient: true, token: 1, default, version: 1, peerInitialWindow: 1 << 20, options, NullLogger.Instance);
        _stream = _session.OpenStream(Destination.None);
    }

    [TearDown]
    public void TearDown()
    {
        lock (_session.Gate)
        {
            _session.EndLocked("test over", sendClose: false);
        }
    }

    [TestCase(PacketSize, false, TestName = "One packet acknowledged of a full send buffer does not wake the writer")]
    [TestCase(SendBufferLimit / 8, false, TestName = "An eighth of the send buffer acknowledged does not wake the writer")]
    [TestCase(SendBufferLimit / 4, true, TestName = "A quarter of the send buffer acknowledged wakes the writer")]
    [TestCase(SendBufferLimit, true, TestName = "Everything acknowledged wakes the writer")]
    public void A_writer_waiting_for_room_wakes_once_a_quarter_of_the_send_buffer_is_free(int acknowledged, bool woken)
    {
        lock (_session.Gate)
        {
            Assert.That(_session.WriteLocked(_stream, new byte[SendBufferLimit + 1], push: false), Is.EqualTo(SendBufferLimit), "the send buffer is full");
        }

        lock (_session.Gate)
        {
            // Cumulative acks one packet at a time, as a receiver acknowledging every frame would send them.
            for (var ack = PacketSize; ack <= acknowledged; ack += PacketSize)
            {
                _stream.OnDataAckLocked(new DataAckFrame(_stream.Id, ack, window: 1 << 20, timestamp: 0), echoCarrierSlot: -1, nowUs: 0);
            }
        }

        // A wake-up is pending for the writer's next wait (it completes at once) or not.
        Assert.That(CompletesAtOnce(_stream.Writable.WaitAsync()), Is.EqualTo(woken));
    }

    [Test]
    public void The_acknowledged_fin_wakes_a_writer_waiting_for_the_acknowledgement()
    {
        lock (_session.Gate)
        {
            _session.WriteLocked(_stream, new byte[PacketSize], push: false);
            _session.FinishWritesLocked(_stream);
            _stream.OnDataAckLocked(new DataAckFrame(_stream.Id, PacketSize, window: 1 << 20, timestamp: 0), echoCarrierSlot: -1, nowUs: 0);
        }

        // The data's acknowledgement woke it already; the FIN, which frees no byte, must wake it again.
        Assert.That(CompletesAtOnce(_stream.Writable.WaitAsync()), Is.True);
        lock (_session.Gate)
        {
            _stream.OnDataAckLocked(new DataAckFrame(_stream.Id, PacketSize + 1, window: 1 << 20, timestamp: 0), echoCarrierSlot: -1, nowUs: 0);
        }

        Assert.Multiple(() =>
        {
            Assert.That(_stream.FinAcked, Is.True);
            Assert.That(CompletesAtOnce(_stream.Writable.WaitAsync()), Is.True);
        });
    }

    [Test]
    public void Data_for_the_reader_marks_it_due_and_leaves_the_waking_to_the_end_of_the_read()
    {
        lock (_session.Gate)
        {
            _stream.OpenConfirmed = true;
        }

        lock (_session.Gate)
        {
            for (var seq = 0; seq < 4 * PacketSize; seq += PacketSize)
            {
                var frame = new DataFrame(_stream.Id, seq, timestamp: 0, subflowId: 0, new byte[PacketSize]);
                Assert.That(_stream.OnDataLocked(frame, nowUs: 0), Is.EqualTo(ReceiveOutcome.Accepted));
            }

            Assert.Multiple(() =>
            {
                Assert.That(_stream.ReaderWakeDue, Is.True, "the session wakes the reader once the read is over");
                Assert.That(CompletesAtOnce(_stream.Readable.WaitAsync()), Is.False, "not under the lock, and not once per frame");
            });
        }
    }

    /// <summary>A wake-up is pending: the wait completes at once (otherwise it stays registered until the session ends).</summary>
    private static bool CompletesAtOnce(ValueTask wait) => wait.IsCompleted;
}
