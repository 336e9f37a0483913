using ProgMp.Runtime.Model;

namespace ProgMp.Runtime.Tests.Model;

public class PacketListTests
{
    [Test]
    public void Insertion_by_seq_keeps_order_through_growth_and_head_removal()
    {
        var list = new PacketList(PacketListKind.Q, capacity: 4);
        var random = new Random(7);
        var expected = new List<long>();
        for (var i = 0; i < 500; i++)
        {
            var seq = random.NextInt64(0, 10_000);
            list.InsertBySeq(new Packet(seq, 1, 0, false));
            expected.Add(seq);
            if (i % 3 == 0)
            {
                expected.Sort();
                list.RemoveAt(0);
                expected.RemoveAt(0);
            }
        }

        expected.Sort();
        Assert.That(Enumerable.Range(0, list.Count).Select(i => list.ItemAt(i).Seq), Is.EqualTo(expected));
    }

    [Test]
    public void Get_is_null_out_of_range_and_for_negative_indexes()
    {
        var list = new PacketList(PacketListKind.Q);
        list.Add(new Packet(1, 1, 0, false));
        Assert.Multiple(() =>
        {
            Assert.That(list.Get(0)!.Seq, Is.EqualTo(1));
            Assert.That(list.Get(1), Is.Null);
            Assert.That(list.Get(-1), Is.Null);
            Assert.That(list.Get(long.MinValue), Is.Null);
        });
    }

    [Test]
    public void Putting_back_at_the_head_after_a_pop_restores_the_list()
    {
        var list = new PacketList(PacketListKind.RQ);
        var packets = Enumerable.Range(0, 6).Select(i => new Packet(i * 10, 1, 0, false)).ToArray();
        foreach (var packet in packets)
        {
            list.Add(packet);
        }

        list.RemoveAt(0);
        list.RemoveAt(2);
        list.Insert(2, packets[3]);
        list.Insert(0, packets[0]);
        Assert.That(Enumerable.Range(0, list.Count).Select(i => list.ItemAt(i)), Is.EqualTo(packets));
    }

    [Test]
    public void Removing_below_a_seq_drops_the_acknowledged_prefix()
    {
        var list = new PacketList(PacketListKind.QU);
        foreach (var seq in new long[] { 0, 10, 20, 30 })
        {
            list.Add(new Packet(seq, 10, 0, false));
        }

        Assert.Multiple(() =>
        {
            Assert.That(list.RemoveBelowSeq(20), Is.EqualTo(2));
            Assert.That(list.Top!.Seq, Is.EqualTo(20));
        });
    }
}
