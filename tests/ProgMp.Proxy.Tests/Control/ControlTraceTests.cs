using System.Net;
using System.Text.Json;
using ProgMp.Proxy.Control;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Proxy.Tests.Control;

/// <summary>A stream's decision trace through the endpoint: on with a capacity, read as JSON, off; and the requests it refuses.</summary>
public class ControlTraceTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task A_trace_turned_on_through_the_endpoint_reads_as_json_and_turns_off(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(2, "roundRobin", cancellationToken);
        var (client, server) = await harness.Pair.OpenStreamAsync(cancellationToken);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        var trace = $"/sessions/{harness.Session.Id}/streams/{client.Id}/trace";

        var on = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.StreamChangeReply, HttpMethod.Put, trace, "{\"capacity\": 64}", cancellationToken);
        await harness.SendPhaseAsync(client, [], 128 * 1024, cancellationToken);
        using var response = await harness.SendAsync(HttpMethod.Get, trace + "?last=3", cancellationToken: cancellationToken);
        var json = await response.Content.ReadAsStringAsync(cancellationToken);
        var off = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.StreamChangeReply, HttpMethod.Delete, trace, cancellationToken: cancellationToken);
        var afterOff = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.TraceReply, HttpMethod.Get, trace, cancellationToken: cancellationToken);
        var byDefault = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.StreamChangeReply, HttpMethod.Put, trace, "{}", cancellationToken);
        var offEverywhere = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.StreamChangeReply, HttpMethod.Delete, "/sessions/all/streams/all/trace", cancellationToken: cancellationToken);
        client.CompleteWrites();
        await reader;

        TestContext.Out.WriteLine(json);
        var reply = JsonSerializer.Deserialize(json, ControlJsonContext.Messages.TraceReply)!;
        using var document = JsonDocument.Parse(json);
        var last = document.RootElement.GetProperty("trace").GetProperty("decisions")[2];
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), json);
            Assert.That(on.Changed, Is.EqualTo(new[] { new StreamReference(harness.Session.Id, client.Id) }));
            Assert.That((reply.Session, reply.Stream), Is.EqualTo((harness.Session.Id, client.Id)));
            Assert.That((reply.Trace.IsRecording, reply.Trace.Capacity), Is.EqualTo((true, 64)));
            Assert.That(reply.Trace.Decisions, Has.Count.EqualTo(3));
            Assert.That(reply.Trace.Decisions.Select(d => d.Invocation), Is.Ordered.Ascending);
            Assert.That(reply.Trace.Decisions.SelectMany(d => d.Actions).Select(a => a.Kind), Does.Contain(TracedActionKind.Push));
            Assert.That(last.GetProperty("scheduler").GetString(), Is.EqualTo("roundRobin"));
            Assert.That(last.GetProperty("cause").GetString(), Is.AnyOf("turn", "pushed", "changedState"), "enums are words");
            Assert.That(last.GetProperty("subflows")[0].TryGetProperty("rttMicroseconds", out _), Is.True);
            Assert.That(document.RootElement.GetProperty("trace").GetProperty("decisions").EnumerateArray().SelectMany(d => d.GetProperty("actions").EnumerateArray()).Select(a => a.GetProperty("kind").GetString()), Does.Contain("push"));
            Assert.That(off.Changed, Has.Count.EqualTo(1));
            Assert.That(afterOff.Trace.IsRecording, Is.False);
            Assert.That(afterOff.Trace.Decisions, Has.Count.EqualTo(Math.Min(64, afterOff.Trace.Recorded)), "what was recorded stays readable");
            Assert.That(byDefault.Changed, Has.Count.EqualTo(1));
            Assert.That(client.GetDecisionTrace().Capacity, Is.EqualTo(DecisionTrace.DefaultCapacity));
            Assert.That(offEverywhere.Changed, Has.Count.EqualTo(1));
            Assert.That(client.GetDecisionTrace().IsRecording, Is.False, "off for every stream of every session");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_bare_get_answers_the_newest_256_decisions_and_a_trace_past_the_session_s_bound_is_refused_with_the_reason(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(1, "roundRobin", cancellationToken);
        var (client, server) = await harness.Pair.OpenStreamAsync(cancellationToken);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        await using var other = harness.Pair.Client.OpenStream();
        var session = harness.Session.Id;
        var trace = $"/sessions/{session}/streams/{client.Id}/trace";

        await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.StreamChangeReply, HttpMethod.Put, trace, $"{{\"capacity\": {DecisionTrace.MaxCapacity}}}", cancellationToken);
        var refused = await harness.ExpectErrorAsync(HttpStatusCode.Conflict, HttpMethod.Put, $"/sessions/{session}/streams/{other.Id}/trace", "{}", cancellationToken: cancellationToken);
        await harness.SendPhaseAsync(client, [], 512 * 1024, cancellationToken);
        var bare = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.TraceReply, HttpMethod.Get, trace, cancellationToken: cancellationToken);
        var asked = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.TraceReply, HttpMethod.Get, trace + "?last=300", cancellationToken: cancellationToken);
        client.CompleteWrites();
        await reader;

        Assert.Multiple(() =>
        {
            Assert.That(refused.Error, Is.EqualTo($"A trace of 256 decisions for stream {other.Id} would take the traces of session {session} past 4096 decisions (MultipathLimits.TracedDecisionsPerSession): its other streams' traces keep 4096, stopped ones included."));
            Assert.That(other.GetDecisionTrace().Capacity, Is.Zero, "no trace was started");
            Assert.That(bare.Trace.Recorded, Is.GreaterThan(300), "more decisions than either read asks for");
            Assert.That(bare.Trace.Decisions, Has.Count.EqualTo(256));
            Assert.That(bare.Trace.Decisions[^1].Invocation, Is.EqualTo(bare.Trace.Recorded), "the newest");
            Assert.That(asked.Trace.Decisions, Has.Count.EqualTo(300));
        });
    }

    [TestCase("PUT", "/streams/{stream}/trace", "{\"capacity\": 0}", HttpStatusCode.BadRequest, "\"capacity\" must be from 1 to 4096 decisions, not 0")]
    [TestCase("PUT", "/streams/{stream}/trace", "{\"capacity\": 5000}", HttpStatusCode.BadRequest, "\"capacity\" must be from 1 to 4096 decisions, not 5000")]
    [TestCase("PUT", "/streams/{stream}/trace", "{\"capacity\": \"many\"}", HttpStatusCode.BadRequest, "\"capacity\" must be an integer, not a string")]
    [TestCase("PUT", "/streams/{stream}/trace", "{\"size\": 5}", HttpStatusCode.BadRequest, "unknown key \"size\" in the body; expected \"capacity\"")]
    [TestCase("PUT", "/streams/999/trace", "{}", HttpStatusCode.NotFound, "session {session} has no open stream 999")]
    [TestCase("PUT", "/streams/all/trace", "{}", HttpStatusCode.BadRequest, "a trace is started one stream at a time: name the session and the stream")]
    [TestCase("DELETE", "/streams/999/trace", null, HttpStatusCode.NotFound, "session {session} has no open stream 999")]
    [TestCase("GET", "/streams/999/trace", null, HttpStatusCode.NotFound, "session {session} has no open stream 999")]
    [TestCase("GET", "/streams/all/trace", null, HttpStatusCode.BadRequest, "a trace is read one stream at a time: name the session and the stream")]
    [TestCase("GET", "/streams/x/trace", null, HttpStatusCode.BadRequest, "the stream must be a stream id or 'all', not 'x'")]
    [TestCase("GET", "/streams/{stream}/trace?last=-1", null, HttpStatusCode.BadRequest, "\"last\" must be a number of decisions, not '-1'")]
    [TestCase("GET", "/streams/{stream}/trace?last=few", null, HttpStatusCode.BadRequest, "\"last\" must be a number of decisions, not 'few'")]
    [CancelAfter(30_000)]
    public async Task A_trace_request_the_endpoint_cannot_carry_out_gets_a_reason_and_changes_nothing(string method, string route, string? body, HttpStatusCode status, string reason, CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(1, "minRtt", cancellationToken);
        await using var stream = harness.Pair.Client.OpenStream();
        var session = harness.Session.Id;

        var error = await harness.ExpectErrorAsync(status, new HttpMethod(method), $"/sessions/{session}" + route.Replace("{stream}", stream.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), body, cancellationToken: cancellationToken);

        Assert.That(error.Error, Is.EqualTo(reason.Replace("{session}", session, StringComparison.Ordinal)));
        Assert.That(stream.GetDecisionTrace().Capacity, Is.Zero, "no trace was started");
    }
}
