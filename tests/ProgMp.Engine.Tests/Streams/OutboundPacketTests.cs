using ProgMp.Engine.Streams;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Streams;

/// <summary>A segment's payload goes back to the pool only when nothing can read it any more, a socket write from it included.</summary>
public sealed class OutboundPacketTests
{
    [Test]
    public void An_acknowledged_segment_keeps_its_payload_while_a_socket_write_reads_it([Values] bool abandoned)
    {
        var packet = new OutboundPacket(null!, seq: 0, PayloadPool.Shared.Rent(100), length: 100, units: 1, user: 0, psh: false, fin: false) { PinnedWrites = 1 };
        packet.Acked = true;
        if (abandoned)
        {
            packet.Abandon();
        }
        else
        {
            packet.ReleaseIfDone();
        }

        Assert.That(packet.PayloadMemory.Length, Is.EqualTo(100), "kept while pinned");
        packet.PinnedWrites--;
        packet.ReleaseIfDone();
        Assert.That(packet.PayloadMemory.IsEmpty, Is.True, "released once the write is over");
    }

    [Test]
    public void A_queued_copy_keeps_the_payload_of_an_acknowledged_segment_until_it_is_skipped()
    {
        var packet = new OutboundPacket(null!, seq: 0, PayloadPool.Shared.Rent(100), length: 100, units: 1, user: 0, psh: false, fin: false) { QueuedCopies = 1 };
        packet.Acked = true;
        packet.ReleaseIfDone();
        Assert.That(packet.PayloadMemory.Length, Is.EqualTo(100));
        packet.QueuedCopies--;
        packet.ReleaseIfDone();
        Assert.That(packet.PayloadMemory.IsEmpty, Is.True);
    }
}
