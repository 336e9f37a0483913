using ProgMp.Runtime.Evaluation;

namespace ProgMp.Runtime.Tests.Evaluation;

public class EvalStateReaderTests
{
    [TestCase("[]", "state: expected an object, not an array")]
    [TestCase("{\"bogus\": 1}", "state: unknown key \"bogus\"")]
    [TestCase("{\"subflows\": [{\"rtt\": 1}]}", "state.subflows[0]: missing \"id\"")]
    [TestCase("{\"subflows\": [{\"id\": 1}, {\"id\": 1}]}", "state.subflows[1].id: subflow 1 appears twice")]
    [TestCase("{\"subflows\": [{\"id\": 1, \"rtt\": \"fast\"}]}", "state.subflows[0].rtt: expected an integer, not a string")]
    [TestCase("{\"subflows\": [{\"id\": 1, \"rtt\": 1.5}]}", "state.subflows[0].rtt: 1.5 is not a 64-bit integer")]
    [TestCase("{\"subflows\": [{\"id\": 1, \"lossy\": 1}]}", "state.subflows[0].lossy: expected true or false, not the number 1")]
    [TestCase("{\"q\": [{\"length\": 10}]}", "state.q[0]: missing \"seq\"")]
    [TestCase("{\"q\": [{\"seq\": 1}, {\"seq\": 1}]}", "state.q[1].seq: seq 1 appears twice in q")]
    [TestCase("{\"q\": [{\"seq\": 1}], \"qu\": [{\"seq\": 1}]}", "state.q[0]: seq 1 is also in qu or rq")]
    [TestCase("{\"registers\": [1, 2]}", "state.registers: needs exactly 6 values (R1 to R6), not 2")]
    [TestCase("{\"random\": []}", "state.random: needs at least one value")]
    [TestCase("{\"random\": [3, -1]}", "state.random[1]: must not be negative")]
    [TestCase("{\"q\": {}}", "state.q: expected an array, not an object")]
    [TestCase("{\"timeMs\": 99999999999999999999}", "state.timeMs: 99999999999999999999 is not a 64-bit integer")]
    [TestCase("{\"subflows\": [", "state: not valid JSON (line 1")]
    [TestCase("{\"timeMs\": 1, \"timeMs\": 2}", "state: key \"timeMs\" appears twice")]
    [TestCase("{\"timeMs\": 1" + "0000000000000000000000000000000000000000000000000000000000}", "state.timeMs: 1000000000000000000000000000000000000000... is not a 64-bit integer")]
    public void A_wrong_state_gets_an_error_naming_its_place(string json, string expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(EvalStateReader.TryRead(json, out _, out var error), Is.False);
            Assert.That(error, Does.StartWith(expected));
        });
    }

    [Test]
    public void Missing_fields_take_the_documented_defaults()
    {
        Assert.That(EvalStateReader.TryRead("{\"subflows\": [{\"id\": 7, \"rtt\": 3001}], \"q\": [{\"seq\": 5}]}", out var state, out var error), Is.True, error);
        var subflow = state!.SubflowsById[7];
        var packet = state.State.Q.Top!;
        Assert.Multiple(() =>
        {
            Assert.That((subflow.RttVar, subflow.Cwnd, subflow.Ssthresh, subflow.InFlight, subflow.Queued, subflow.Lost), Is.EqualTo((0L, 10L, 2147483647L, 0L, 0L, 0L)));
            Assert.That((subflow.DelayOut, subflow.DelayIn), Is.EqualTo((1500L, 1500L)), "half the RTT, truncated");
            Assert.That((subflow.BwOutSend, subflow.BwOutAck, subflow.WindowBytes), Is.EqualTo((0L, 0L, 2147483647L)));
            Assert.That((subflow.IsBackup, subflow.Throttled, subflow.Lossy), Is.EqualTo((false, false, false)));
            Assert.That(state.Subflows.Count, Is.EqualTo(1), "available by default");
            Assert.That((packet.Length, packet.User, packet.Psh, packet.SentOnMask), Is.EqualTo((1400L, 0L, false, 0UL)));
            Assert.That(state.Random, Is.EqualTo(new long[] { 4 }));
            Assert.That(state.TimeMs, Is.Zero);
            Assert.That(state.State.Registers, Is.EqualTo(new long[6]));
        });
    }

    [Test]
    public void Q_and_QU_are_taken_in_ascending_seq_and_RQ_in_file_order()
    {
        const string json = "{\"q\": [{\"seq\": 30}, {\"seq\": 10}], \"qu\": [{\"seq\": 9}, {\"seq\": 2}], \"rq\": [{\"seq\": 9}, {\"seq\": 2}]}";
        Assert.That(EvalStateReader.TryRead(json, out var state, out var error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(Seqs(state!.State.Q), Is.EqualTo(new long[] { 10, 30 }));
            Assert.That(Seqs(state.State.QU), Is.EqualTo(new long[] { 2, 9 }));
            Assert.That(Seqs(state.State.RQ), Is.EqualTo(new long[] { 9, 2 }));
            Assert.That(state.State.RQ.ItemAt(0), Is.SameAs(state.State.QU.ItemAt(1)), "a seq in qu and rq is one packet");
        });
    }

    [Test]
    public void SentOn_names_subflows_by_id_and_unavailable_subflows_stay_in_the_session()
    {
        const string json = "{\"subflows\": [{\"id\": 4}, {\"id\": 9, \"available\": false}], \"qu\": [{\"seq\": 1, \"sentOn\": [9, 77]}]}";
        Assert.That(EvalStateReader.TryRead(json, out var state, out var error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(state!.Subflows.Count, Is.EqualTo(1));
            Assert.That(state.SessionMask, Is.EqualTo(0b11UL));
            Assert.That(state.State.QU.Top!.SentOnMask, Is.EqualTo(0b10UL), "subflow 77 is not in the state and has no bit");
        });
    }

    private static long[] Seqs(Runtime.Model.PacketList list) => [.. Enumerable.Range(0, list.Count).Select(i => list.ItemAt(i).Seq)];
}
