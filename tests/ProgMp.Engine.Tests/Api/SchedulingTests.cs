using System.Security.Cryptography;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Api;

/// <summary>
/// The loaded program decides where data goes, and a change to it (a register, a swap, a replacement in
/// the registry, a per-write user value) takes effect mid-stream: the per-subflow byte counters show it.
/// </summary>
public class SchedulingTests
{
    private const int Phase = 2 * 1024 * 1024;

    /// <summary>
    /// The steering tests' options: suspicion out of reach. A loaded machine can starve a subflow's
    /// loop past the 50 ms floor; the suspected subflow then leaves SUBFLOWS and its data goes to RQ,
    /// which these programs rightly send elsewhere, and the counters would measure the stall instead
    /// of the program. Suspicion has tests of its own.
    /// </summary>
    private static MultipathOptions SteeringOptions(string scheduler) => new()
    {
        Registry = EngineTestKit.LoadLibrary(),
        DefaultScheduler = scheduler,
        SuspectTimeoutFloor = TimeSpan.FromMinutes(5),
        Security = TestSecurity.Tls,
    };

    [Test]
    [CancelAfter(60_000)]
    public async Task A_register_the_program_reads_moves_the_data_to_another_subflow_mid_stream(CancellationToken cancellationToken)
    {
        await using var pair = await SessionPair.StartAsync(2, SteeringOptions("registerPreferred"), cancellationToken);
        var (client, server) = await pair.OpenStreamAsync(cancellationToken);
        var ids = pair.ClientBytesSent().Keys.Order().ToArray();
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        var sent = new List<byte[]>();

        client.SetRegister(1, ids[0]);
        var first = await SendPhaseAsync(pair, client, sent, cancellationToken);
        client.SetRegister(1, ids[1]);
        var second = await SendPhaseAsync(pair, client, sent, cancellationToken);
        client.CompleteWrites();

        Assert.That(first[ids[0]], Is.GreaterThanOrEqualTo(Phase * 0.95), "R1 names the first subflow: it carries the first phase");
        Assert.That(first[ids[1]], Is.LessThanOrEqualTo(Phase * 0.05));
        Assert.That(second[ids[1]], Is.GreaterThanOrEqualTo(Phase * 0.95), "R1 now names the second subflow: it carries the second phase");
        Assert.That(second[ids[0]], Is.LessThanOrEqualTo(Phase * 0.05));
        Assert.That((await reader).Hash, Is.EqualTo(SHA256.HashData(sent.SelectMany(b => b).ToArray())));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_scheduler_swap_and_a_replacement_in_the_registry_reach_a_running_stream(CancellationToken cancellationToken)
    {
        var options = SteeringOptions("minRtt");
        await using var pair = await SessionPair.StartAsync(2, options, cancellationToken);
        var (client, server) = await pair.OpenStreamAsync(cancellationToken);
        var ids = pair.ClientBytesSent().Keys.Order().ToArray();
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        var sent = new List<byte[]>();

        // A program that sends only on the subflow with the highest id, then one with the lowest.
        options.Registry.Load(EngineTestKit.OnlyOn("steer", "MAX"));
        client.SetScheduler("steer");
        var onHighest = await SendPhaseAsync(pair, client, sent, cancellationToken);
        options.Registry.Load(EngineTestKit.OnlyOn("steer", "MIN"));
        var onLowest = await SendPhaseAsync(pair, client, sent, cancellationToken);

        // Back to a library program by name. Its placement must not depend on timing: how many copies
        // the redundant scheduler gets out on loopback depends on how fast acknowledgements outrun the
        // slower subflow, which a loaded machine decides (The_redundant_scheduler_... covers copies).
        client.SetRegister(1, ids[1]);
        client.SetScheduler("registerPreferred");
        var onPreferred = await SendPhaseAsync(pair, client, sent, cancellationToken);
        client.CompleteWrites();

        Assert.That(client.SchedulerName, Is.EqualTo("registerPreferred"));
        Assert.That(onHighest[ids[1]], Is.GreaterThanOrEqualTo(Phase * 0.95));
        Assert.That(onHighest[ids[0]], Is.LessThanOrEqualTo(Phase * 0.05));
        Assert.That(onLowest[ids[0]], Is.GreaterThanOrEqualTo(Phase * 0.95), "the registry's replacement reached the stream");
        Assert.That(onLowest[ids[1]], Is.LessThanOrEqualTo(Phase * 0.05));
        Assert.That(onPreferred[ids[1]], Is.GreaterThanOrEqualTo(Phase * 0.95), "the swap back to a library program reached the stream");
        Assert.That(onPreferred[ids[0]], Is.LessThanOrEqualTo(Phase * 0.05));
        Assert.That((await reader).Hash, Is.EqualTo(SHA256.HashData(sent.SelectMany(b => b).ToArray())));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Tagged_writes_go_where_a_user_steered_program_sends_them(CancellationToken cancellationToken)
    {
        await using var pair = await SessionPair.StartAsync(2, SteeringOptions("userSteered"), cancellationToken);
        var (client, server) = await pair.OpenStreamAsync(cancellationToken);
        var ids = pair.ClientBytesSent().Keys.Order().ToArray();
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        var first = EngineTestKit.Bytes(Phase, 11);
        var second = EngineTestKit.Bytes(Phase, 12);

        var before = pair.ClientBytesSent();
        await client.WriteAsync(first, user: ids[1], cancellationToken);
        await client.WaitForAcknowledgementAsync(cancellationToken);
        var afterFirst = pair.ClientBytesSent();
        client.UserValue = ids[0];
        await client.WriteAsync(second, cancellationToken);
        await client.WaitForAcknowledgementAsync(cancellationToken);
        var afterSecond = pair.ClientBytesSent();
        client.CompleteWrites();

        Assert.That(afterFirst[ids[1]] - before[ids[1]], Is.GreaterThanOrEqualTo(Phase * 0.95));
        Assert.That(afterFirst[ids[0]] - before[ids[0]], Is.LessThanOrEqualTo(Phase * 0.05));
        Assert.That(afterSecond[ids[0]] - afterFirst[ids[0]], Is.GreaterThanOrEqualTo(Phase * 0.95));
        Assert.That(afterSecond[ids[1]] - afterFirst[ids[1]], Is.LessThanOrEqualTo(Phase * 0.05));
        Assert.That((await reader).Hash, Is.EqualTo(SHA256.HashData([.. first, .. second])));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task The_redundant_scheduler_sends_copies_on_every_subflow_and_the_data_arrives_once(CancellationToken cancellationToken)
    {
        // How much the slower subflow copies depends on how far the faster one gets ahead (a packet
        // acknowledged before the slower has sent it leaves QU, and the program then has nothing to
        // copy), which the machine's load decides: the bounds below hold either way.
        await using var session = await EmulatedSession.StartAsync(EngineTestKit.Options("redundant"), [EmulatedSession.Path(100, 2), EmulatedSession.Path(100, 3)], cancellationToken);
        var (client, server) = await session.Pair.OpenStreamAsync(cancellationToken);
        var data = EngineTestKit.Bytes(4 * 1024 * 1024, 21);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);

        await EngineTestKit.SendAllAsync(client, data, cancellationToken);
        var (hash, length) = await reader;

        Assert.That(length, Is.EqualTo(data.Length), "each byte is delivered once");
        Assert.That(hash, Is.EqualTo(SHA256.HashData(data)));
        var subflows = session.Client.GetStatistics().Subflows;
        TestContext.Out.WriteLine(string.Join("\n", subflows));
        Assert.That(subflows.Sum(s => s.BytesSent), Is.GreaterThan(data.Length * 1.1), "copies went out");
        Assert.That(subflows.Min(s => s.BytesSent), Is.GreaterThan(data.Length * 0.1), "on both subflows");
        Assert.That(server.GetStatistics().DuplicateBytesReceived, Is.GreaterThan(0), "the receiver dropped the copies");

        // A packet with a copy on each subflow still gives the subflow whose copy arrived a delivery-rate
        // sample, so the window grows past its initial 10 packets (it stayed there, and the redundant
        // scheduler at a third of one path's rate, while any copy elsewhere voided the sample).
        Assert.That(subflows.Max(s => s.CongestionWindow), Is.GreaterThan(10), "the window grew from delivery-rate samples");
    }


    /// <summary>Writes one phase's bytes, waits until they are acknowledged, and returns what each subflow sent meanwhile.</summary>
    private static async Task<Dictionary<long, long>> SendPhaseAsync(SessionPair pair, MultipathStream stream, List<byte[]> sent, CancellationToken cancellationToken)
    {
        var before = pair.ClientBytesSent();
        var data = EngineTestKit.Bytes(Phase, sent.Count + 100);
        sent.Add(data);
        await stream.WriteAsync(data, cancellationToken);
        await stream.WaitForAcknowledgementAsync(cancellationToken);
        var after = pair.ClientBytesSent();
        return after.ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key));
    }
}
