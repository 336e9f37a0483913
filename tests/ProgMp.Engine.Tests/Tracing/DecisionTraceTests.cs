using System.Security.Cryptography;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Tracing;

/// <summary>
/// The decision trace of a live stream over two loopback subflows: it shows the PUSHes that really
/// carried the bytes, with the figures the program decided on, and it records only while it is on.
/// </summary>
public class DecisionTraceTests
{
    private const int Phase = 256 * 1024;

    /// <summary>Suspicion out of reach, so that a stalled loop on a loaded machine sends nothing to RQ and every byte goes out once (SchedulingTests says why).</summary>
    private static MultipathOptions Options(int tracedDecisionsPerSession = 4096) => new()
    {
        Limits = new MultipathLimits { TracedDecisionsPerSession = tracedDecisionsPerSession },
        Registry = EngineTestKit.LoadLibrary(),
        DefaultScheduler = "roundRobin",
        SuspectTimeoutFloor = TimeSpan.FromMinutes(5),
        Security = TestSecurity.Tls,
    };

    [Test]
    [CancelAfter(60_000)]
    public async Task The_trace_shows_the_pushes_that_carried_the_bytes_and_the_figures_they_were_decided_on(CancellationToken cancellationToken)
    {
        await using var pair = await SessionPair.StartAsync(2, Options(), cancellationToken);
        var (client, server) = await pair.OpenStreamAsync(cancellationToken);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        var data = EngineTestKit.Bytes(Phase, 1);
        var before = pair.ClientBytesSent();

        client.EnableDecisionTrace(DecisionTrace.MaxCapacity);
        await client.WriteAsync(data, cancellationToken);
        await client.WaitForAcknowledgementAsync(cancellationToken);
        var sent = pair.ClientBytesSent().ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key));
        var trace = client.GetDecisionTrace();
        var invocations = client.GetStatistics().SchedulerInvocations;
        client.CompleteWrites();
        await reader;

        var decisions = trace.Decisions;
        TestContext.Out.WriteLine(new DecisionTrace { IsRecording = trace.IsRecording, Capacity = trace.Capacity, Recorded = trace.Recorded, Decisions = decisions.Take(12).ToList() });
        Assert.That(trace.Recorded, Is.LessThanOrEqualTo(trace.Capacity), "the trace holds every decision of the phase");
        var pushes = decisions.SelectMany(d => d.Actions.Where(a => a.Kind == TracedActionKind.Push).Select(a => (Decision: d, Push: a))).ToList();
        var pushedBytes = pushes.GroupBy(p => p.Push.SubflowId!.Value).ToDictionary(g => g.Key, g => g.Sum(p => p.Push.Length!.Value));
        Assert.Multiple(() =>
        {
            Assert.That(trace.IsRecording, Is.True);
            Assert.That(decisions.Select(d => d.Invocation), Is.EqualTo(Enumerable.Range((int)decisions[0].Invocation, decisions.Count).Select(i => (long)i)), "every invocation, in order");
            Assert.That(decisions[^1].Invocation, Is.EqualTo(invocations), "the stream's own count of invocations");
            Assert.That(decisions.Select(d => d.Scheduler).Distinct(), Is.EqualTo(new[] { "roundRobin" }));
            Assert.That(decisions[0].Cause, Is.EqualTo(DecisionCause.Turn));

            // Every byte was pushed, and each subflow carried what the trace says was pushed to it.
            Assert.That(pushes.Where(p => p.Push.Seq < Phase).DistinctBy(p => p.Push.Seq).Sum(p => p.Push.Length!.Value), Is.GreaterThanOrEqualTo(Phase));
            Assert.That(pushedBytes.Keys.Order(), Is.EqualTo(sent.Where(kv => kv.Value > 0).Select(kv => kv.Key).Order()), "PUSHes went to the subflows that carried bytes");
            foreach (var (subflow, bytes) in sent.Where(kv => kv.Value > 0))
            {
                Assert.That(pushedBytes[subflow], Is.InRange(bytes, bytes + (4 * 1400)), $"bytes pushed to subflow {subflow} against bytes it sent");
            }

            Assert.That(pushedBytes.Keys, Has.Count.EqualTo(2), "round robin used both subflows");
        });

        Assert.Multiple(() =>
        {
            foreach (var (decision, push) in pushes)
            {
                // roundRobin pushes only on a subflow it saw with room in its window, and says which in R1.
                var target = decision.Subflows.Single(s => s.Id == push.SubflowId);
                Assert.That(target.CongestionWindow, Is.GreaterThan(target.InFlight + target.Queued), decision.ToString);
                Assert.That(target.Throttled, Is.False, decision.ToString);
                Assert.That(decision.Actions.Select(a => a.ToString()), Is.EqualTo(new[] { $"SET R1 = {push.SubflowId}", $"POP Q {push.Seq}", push.ToString() }), decision.ToString);
                Assert.That(decision.Q, Is.GreaterThan(0), decision.ToString);
                Assert.That(decision.QTopSeq, Is.EqualTo(push.Seq), decision.ToString);
            }

            foreach (var decision in decisions)
            {
                Assert.That(decision.Subflows.Select(s => s.Id), Is.SubsetOf(sent.Keys), decision.ToString);
                Assert.That(decision.Subflows.Select(s => s.RttMicroseconds), Is.All.InRange(0, 10_000_000), decision.ToString);
                Assert.That(decision.Subflows.Select(s => s.CongestionWindow), Is.All.GreaterThan(0), decision.ToString);
                Assert.That(decision.Q + decision.QU, Is.LessThanOrEqualTo((Phase / 1400) + 1), decision.ToString);
            }

            // R1 as each decision found it is what the decision before left there.
            for (var i = 1; i < decisions.Count; i++)
            {
                var left = decisions[i - 1].Actions.LastOrDefault(a => a.Kind == TracedActionKind.Set)?.Value ?? decisions[i - 1].Registers[0];
                Assert.That(decisions[i].Registers[0], Is.EqualTo(left), decisions[i].ToString);
            }
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_disabled_trace_records_nothing_more_and_enabling_it_again_starts_empty(CancellationToken cancellationToken)
    {
        await using var pair = await SessionPair.StartAsync(2, Options(), cancellationToken);
        var (client, server) = await pair.OpenStreamAsync(cancellationToken);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        var sent = new List<byte[]>();
        var never = client.GetDecisionTrace();

        client.EnableDecisionTrace(16);
        await SendPhaseAsync(client, sent, cancellationToken);
        client.DisableDecisionTrace();
        var off = client.GetDecisionTrace();
        var invocationsAtOff = client.GetStatistics().SchedulerInvocations;
        await SendPhaseAsync(client, sent, cancellationToken);
        var later = client.GetDecisionTrace();
        var invocationsLater = client.GetStatistics().SchedulerInvocations;
        client.EnableDecisionTrace(8);
        var restarted = client.GetDecisionTrace();
        await SendPhaseAsync(client, sent, cancellationToken);
        var again = client.GetDecisionTrace();
        client.CompleteWrites();

        Assert.Multiple(() =>
        {
            Assert.That((never.IsRecording, never.Capacity, never.Recorded, never.Decisions.Count), Is.EqualTo((false, 0, 0L, 0)), "off by default");
            Assert.That(off.IsRecording, Is.False);
            Assert.That(off.Recorded, Is.GreaterThan(16), "the first phase took more decisions than the ring keeps");
            Assert.That(off.Decisions, Has.Count.EqualTo(16));
            Assert.That(off.Decisions[^1].Invocation, Is.EqualTo(invocationsAtOff));
            Assert.That(invocationsLater, Is.GreaterThan(invocationsAtOff), "the stream went on deciding");
            Assert.That(later.Recorded, Is.EqualTo(off.Recorded), "but the trace recorded none of it");
            Assert.That(later.Decisions.Select(d => d.Invocation), Is.EqualTo(off.Decisions.Select(d => d.Invocation)));
            Assert.That((restarted.IsRecording, restarted.Capacity, restarted.Recorded), Is.EqualTo((true, 8, 0L)));
            Assert.That(again.Decisions, Has.Count.EqualTo(8));
            Assert.That(again.Decisions[0].Invocation, Is.GreaterThan(invocationsLater));
        });
        Assert.That((await reader).Hash, Is.EqualTo(SHA256.HashData(sent.SelectMany(b => b).ToArray())));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_session_reaches_a_stream_s_trace_by_its_id_and_says_when_there_is_no_such_stream(CancellationToken cancellationToken)
    {
        await using var pair = await SessionPair.StartAsync(1, Options(), cancellationToken);
        var (client, server) = await pair.OpenStreamAsync(cancellationToken);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);

        var enabled = pair.Client.EnableStreamDecisionTrace(client.Id, 32);
        await client.WriteAsync(EngineTestKit.Bytes(64 * 1024, 2), cancellationToken);
        await client.WaitForAcknowledgementAsync(cancellationToken);
        var lastTwo = pair.Client.GetStreamDecisionTrace(client.Id, last: 2);
        var disabled = pair.Client.DisableStreamDecisionTrace(client.Id);
        client.CompleteWrites();
        await reader;

        Assert.Multiple(() =>
        {
            Assert.That(enabled, Is.True);
            Assert.That(lastTwo!.Decisions, Has.Count.EqualTo(2));
            Assert.That(lastTwo.Decisions[^1].Invocation, Is.EqualTo(client.GetDecisionTrace().Decisions[^1].Invocation));
            Assert.That(disabled, Is.True);
            Assert.That(client.GetDecisionTrace().IsRecording, Is.False);
            Assert.That(pair.Client.EnableStreamDecisionTrace(999), Is.False);
            Assert.That(pair.Client.DisableStreamDecisionTrace(999), Is.False);
            Assert.That(pair.Client.GetStreamDecisionTrace(999), Is.Null);
            Assert.Throws<ArgumentOutOfRangeException>(() => client.EnableDecisionTrace(DecisionTrace.MaxCapacity + 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => pair.Client.EnableStreamDecisionTrace(client.Id, 0));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_trace_that_would_take_the_session_s_traces_past_their_bound_is_refused_and_changes_no_trace(CancellationToken cancellationToken)
    {
        await using var pair = await SessionPair.StartAsync(1, Options(tracedDecisionsPerSession: 100), cancellationToken);
        var (first, _) = await pair.OpenStreamAsync(cancellationToken);
        var (second, _) = await pair.OpenStreamAsync(cancellationToken);

        first.EnableDecisionTrace(64);
        var pastTheBound = Assert.Throws<InvalidOperationException>(() => second.EnableDecisionTrace(37));
        var throughTheSession = Assert.Throws<InvalidOperationException>(() => pair.Client.EnableStreamDecisionTrace(second.Id, 37));
        var secondAfterRefusals = second.GetDecisionTrace();
        second.EnableDecisionTrace(36);
        first.DisableDecisionTrace();
        var stoppedStillCounts = Assert.Throws<InvalidOperationException>(() => second.EnableDecisionTrace(37));
        first.EnableDecisionTrace(64);
        var replacedDoesNotCount = first.GetDecisionTrace();
        Assert.Throws<InvalidOperationException>(() => first.EnableDecisionTrace(65));
        var firstAfterRefusal = first.GetDecisionTrace();

        Assert.Multiple(() =>
        {
            Assert.That(pastTheBound!.Message, Is.EqualTo($"A trace of 37 decisions for stream {second.Id} would take the traces of session {pair.Client.Id} past 100 decisions (MultipathLimits.TracedDecisionsPerSession): its other streams' traces keep 64, stopped ones included."));
            Assert.That(throughTheSession!.Message, Is.EqualTo(pastTheBound.Message));
            Assert.That(secondAfterRefusals.Capacity, Is.Zero, "a refused trace was not started");
            Assert.That(stoppedStillCounts!.Message, Does.Contain("keep 64"), "a stopped trace keeps its ring");
            Assert.That((replacedDoesNotCount.IsRecording, replacedDoesNotCount.Capacity), Is.EqualTo((true, 64)), "the ring a trace replaces does not count");
            Assert.That((firstAfterRefusal.IsRecording, firstAfterRefusal.Capacity), Is.EqualTo((true, 64)), "a refused restart leaves the trace there was recording");
            Assert.That(second.GetDecisionTrace().Capacity, Is.EqualTo(36));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Enabling_the_trace_of_a_stream_that_is_not_there_allocates_no_ring(CancellationToken cancellationToken)
    {
        await using var pair = await SessionPair.StartAsync(1, Options(), cancellationToken);
        Assert.That(pair.Client.EnableStreamDecisionTrace(999, DecisionTrace.MaxCapacity), Is.False, "warm up");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var enabled = pair.Client.EnableStreamDecisionTrace(999, DecisionTrace.MaxCapacity);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // A ring of the largest capacity is megabytes; a look-up that finds nothing is a few bytes at most.
        Assert.Multiple(() =>
        {
            Assert.That(enabled, Is.False);
            Assert.That(allocated, Is.LessThan(4096));
        });
    }

    private static async Task SendPhaseAsync(MultipathStream stream, List<byte[]> sent, CancellationToken cancellationToken)
    {
        var data = EngineTestKit.Bytes(Phase / 4, sent.Count + 10);
        sent.Add(data);

        // In writes of a packet each: one large write would go as a few bulk segments, a few decisions.
        for (var offset = 0; offset < data.Length; offset += 1400)
        {
            await stream.WriteAsync(data.AsMemory(offset, Math.Min(1400, data.Length - offset)), cancellationToken);
        }

        await stream.WaitForAcknowledgementAsync(cancellationToken);
    }
}
