using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using ProgMp.Proxy.Control;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Proxy.Tests.Control;

/// <summary>
/// Changes made through the endpoint reach running streams at their next decision: the per-subflow
/// byte counters of the client show the new policy phase by phase, and the data still arrives whole.
/// </summary>
public class ControlSteeringTests
{
    private const int Phase = 2 * 1024 * 1024;

    [Test]
    [CancelAfter(60_000)]
    public async Task A_scheduler_loaded_and_chosen_for_a_stream_takes_effect_mid_transfer(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(2, "minRtt", cancellationToken);
        var (client, server) = await harness.Pair.OpenStreamAsync(cancellationToken);
        var ids = harness.Pair.ClientBytesSent().Keys.Order().ToArray();
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        var sent = new List<byte[]>();
        var streamPath = $"/sessions/{harness.Session.Id}/streams/{client.Id}/scheduler";

        await harness.SendPhaseAsync(client, sent, Phase, cancellationToken);
        var loaded = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.LoadReply, HttpMethod.Post, "/schedulers", Load(EngineTestKit.OnlyOn("steer", "MAX")), cancellationToken);
        var chosen = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.StreamChangeReply, HttpMethod.Put, streamPath, "{\"name\": \"steer\"}", cancellationToken);
        var onHighest = await harness.SendPhaseAsync(client, sent, Phase, cancellationToken);
        var replaced = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.LoadReply, HttpMethod.Post, "/schedulers", Load(EngineTestKit.OnlyOn("steer", "MIN")), cancellationToken);
        var onLowest = await harness.SendPhaseAsync(client, sent, Phase, cancellationToken);
        client.CompleteWrites();

        Assert.Multiple(() =>
        {
            Assert.That(loaded, Is.EqualTo(loaded with { Name = "steer", Replaced = false }));
            Assert.That(replaced.Replaced, Is.True);
            Assert.That(chosen.Changed, Is.EqualTo(new[] { new StreamReference(harness.Session.Id, client.Id) }));
            Assert.That(client.SchedulerName, Is.EqualTo("steer"));
            Assert.That(onHighest[ids[1]], Is.GreaterThanOrEqualTo(Phase * 0.95), "the loaded program sends on the highest id only");
            Assert.That(onHighest[ids[0]], Is.LessThanOrEqualTo(Phase * 0.05));
            Assert.That(onLowest[ids[0]], Is.GreaterThanOrEqualTo(Phase * 0.95), "its replacement by name reached the stream");
            Assert.That(onLowest[ids[1]], Is.LessThanOrEqualTo(Phase * 0.05));
        });
        Assert.That((await reader).Hash, Is.EqualTo(SHA256.HashData(sent.SelectMany(b => b).ToArray())));
    }

    [TestCase(false, TestName = "A_register_set_on_one_stream_moves_its_traffic")]
    [TestCase(true, TestName = "A_register_set_on_every_stream_at_once_moves_the_traffic")]
    [CancelAfter(60_000)]
    public async Task A_register_set_through_the_endpoint_moves_the_traffic(bool everyStream, CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(2, "registerPreferred", cancellationToken);
        var (client, server) = await harness.Pair.OpenStreamAsync(cancellationToken);
        var ids = harness.Pair.ClientBytesSent().Keys.Order().ToArray();
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        var sent = new List<byte[]>();
        var registerPath = everyStream ? "/sessions/all/streams/all/registers/R1" : $"/sessions/{harness.Session.Id}/streams/{client.Id}/registers/R1";

        await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.StreamChangeReply, HttpMethod.Put, registerPath, $"{{\"value\": {ids[0]}}}", cancellationToken);
        var first = await harness.SendPhaseAsync(client, sent, Phase, cancellationToken);
        var changed = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.StreamChangeReply, HttpMethod.Put, registerPath, $"{{\"value\": {ids[1]}}}", cancellationToken);
        var second = await harness.SendPhaseAsync(client, sent, Phase, cancellationToken);
        client.CompleteWrites();

        Assert.Multiple(() =>
        {
            Assert.That(changed.Changed, Is.EqualTo(new[] { new StreamReference(harness.Session.Id, client.Id) }));
            Assert.That(client.GetRegister(1), Is.EqualTo(ids[1]));
            Assert.That(first[ids[0]], Is.GreaterThanOrEqualTo(Phase * 0.95), "R1 names the first subflow");
            Assert.That(first[ids[1]], Is.LessThanOrEqualTo(Phase * 0.05));
            Assert.That(second[ids[1]], Is.GreaterThanOrEqualTo(Phase * 0.95), "R1 now names the second subflow");
            Assert.That(second[ids[0]], Is.LessThanOrEqualTo(Phase * 0.05));
        });
        Assert.That((await reader).Hash, Is.EqualTo(SHA256.HashData(sent.SelectMany(b => b).ToArray())));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task The_default_scheduler_and_registers_apply_to_streams_opened_afterwards(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(1, "minRtt", cancellationToken);
        await using var before = harness.Pair.Client.OpenStream();

        var scheduler = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.DefaultSchedulerReply, HttpMethod.Put, "/default/scheduler", "{\"name\": \"roundRobin\"}", cancellationToken);
        var register = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.DefaultRegisterReply, HttpMethod.Put, "/default/registers/r3", "{\"value\": -42}", cancellationToken);
        await using var after = harness.Pair.Client.OpenStream();
        var list = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.SchedulerListReply, HttpMethod.Get, "/schedulers", cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(scheduler.DefaultScheduler, Is.EqualTo("roundRobin"));
            Assert.That(register, Is.EqualTo(register with { Register = "R3", Value = -42 }));
            Assert.That(register.DefaultRegisters, Is.EqualTo(new long[] { 0, 0, -42, 0, 0, 0 }));
            Assert.That(harness.Options.DefaultScheduler, Is.EqualTo("roundRobin"));
            Assert.That(after.SchedulerName, Is.EqualTo("roundRobin"));
            Assert.That(after.GetRegister(3), Is.EqualTo(-42));
            Assert.That(before.SchedulerName, Is.EqualTo("minRtt"), "a stream already open keeps its scheduler");
            Assert.That(before.GetRegister(3), Is.Zero);
            Assert.That(list.DefaultScheduler, Is.EqualTo("roundRobin"));
            Assert.That(list.Schedulers.Single(s => s.IsDefault).Name, Is.EqualTo("roundRobin"));
            Assert.That(list.Schedulers.Select(s => s.Name), Is.EqualTo(harness.Options.Registry.Names));
            Assert.That(list.Schedulers.Single(s => s.Name == "minRtt").Path, Does.EndWith("minRtt.progmp"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_scheduler_is_removed_and_its_warnings_are_listed(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(1, "minRtt", cancellationToken);
        const string Source = "SCHEDULER warned;\nVAR unused = 1;\nSUBFLOWS.MIN(s => s.RTT).PUSH(Q.POP());\n";
        var body = JsonSerializer.Serialize(new { source = Source, name = "warned", path = "warned.progmp" });

        var loaded = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.LoadReply, HttpMethod.Post, "/schedulers", body, cancellationToken);
        var listed = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.SchedulerListReply, HttpMethod.Get, "/schedulers", cancellationToken: cancellationToken);
        var removed = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.RemoveReply, HttpMethod.Delete, "/schedulers/warned", cancellationToken: cancellationToken);

        var entry = listed.Schedulers.Single(s => s.Name == "warned");
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Warnings.Select(w => w.Text), Is.EqualTo(new[] { "warned.progmp(2,5): warning PMP1001: 'unused' is never used" }));
            Assert.That(entry.Path, Is.EqualTo("warned.progmp"));
            Assert.That(entry.Warnings.Select(w => w.Code), Is.EqualTo(new[] { "PMP1001" }));
            Assert.That(removed.Removed, Is.EqualTo("warned"));
            Assert.That(harness.Options.Registry.Contains("warned"), Is.False);
        });
    }

    private static string Load(string source) => JsonSerializer.Serialize(new { source });
}
