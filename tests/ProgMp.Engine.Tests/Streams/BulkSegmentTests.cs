using System.Security.Cryptography;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Streams;

/// <summary>
/// Bulk writes on a fast path go as segments of several packet sizes (the kernel's TSO autosizing),
/// while a program still counts packets of the configured size: SKBS_IN_FLIGHT + QUEUED is what was
/// pushed and not acknowledged, in packet sizes. Small writes keep packets of their own.
/// </summary>
public sealed class BulkSegmentTests
{
    private const int PacketSize = 1400;
    private const int Bulk = 4 * 1024 * 1024;

    /// <summary>One loopback path; suspicion out of reach, so that on a loaded machine nothing goes to RQ and every byte goes out once.</summary>
    private static MultipathOptions Options(bool tls) => new()
    {
        Registry = EngineTestKit.LoadLibrary(),
        DefaultScheduler = "minRtt",
        PacketSize = PacketSize,
        SuspectTimeoutFloor = TimeSpan.FromMinutes(5),
        Limits = new MultipathLimits { TracedDecisionsPerSession = DecisionTrace.MaxCapacity },
        Security = TestSecurity.For(tls),
    };

    [Test]
    [CancelAfter(60_000)]
    public async Task A_bulk_write_on_a_fast_path_goes_in_segments_of_several_packets_each_counted_as_that_many([Values] bool tls, CancellationToken cancellationToken)
    {
        await using var pair = await SessionPair.StartAsync(1, Options(tls), cancellationToken);
        var (client, server) = await pair.OpenStreamAsync(cancellationToken);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        var warmUp = EngineTestKit.Bytes(Bulk, 1);
        var bulk = EngineTestKit.Bytes(Bulk, 2);

        // The first bytes measure the path's rate: until then segments are single packets.
        await client.WriteAsync(warmUp, cancellationToken);
        await client.WaitForAcknowledgementAsync(cancellationToken);
        client.EnableDecisionTrace(DecisionTrace.MaxCapacity);
        await client.WriteAsync(bulk, cancellationToken);
        await client.WaitForAcknowledgementAsync(cancellationToken);
        var trace = client.GetDecisionTrace();
        client.CompleteWrites();
        var received = await reader;

        Assert.That(received.Hash, Is.EqualTo(SHA256.HashData([.. warmUp, .. bulk])), "every byte arrived once, in order");
        Assert.That(trace.Recorded, Is.LessThanOrEqualTo(trace.Capacity), "the trace holds every decision of the bulk write");
        var pushes = new List<TracedAction>();
        Assert.Multiple(() =>
        {
            foreach (var decision in trace.Decisions)
            {
                // With one path, acknowledgements come in order: QU is the newest pushes, and the only
                // subflow has them in flight or queued, each counted in packet sizes.
                var subflow = decision.Subflows.Single();
                var expected = pushes.TakeLast(decision.QU).Sum(p => Units(p.Length!.Value));
                Assert.That(subflow.InFlight + subflow.Queued, Is.EqualTo(expected), decision.ToString);
                pushes.AddRange(decision.Actions.Where(a => a.Kind == TracedActionKind.Push));
            }

            Assert.That(pushes.Sum(p => p.Length), Is.EqualTo(Bulk), "every byte pushed once");
            Assert.That(pushes.Max(p => p.Length), Is.GreaterThan(PacketSize), "bulk segments on a fast path");
            Assert.That(pushes.Max(p => p.Length), Is.LessThanOrEqualTo(64 * 1024), "at most a data frame's payload");
            Assert.That(pushes.SkipLast(1).Select(p => p.Length % PacketSize), Is.All.EqualTo(0), "whole packet sizes but for the write's end");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Small_flushed_writes_keep_packets_of_their_own_after_a_bulk_transfer_measured_the_path(CancellationToken cancellationToken)
    {
        await using var pair = await SessionPair.StartAsync(1, Options(tls: false), cancellationToken);
        var (client, server) = await pair.OpenStreamAsync(cancellationToken);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        await client.WriteAsync(EngineTestKit.Bytes(Bulk, 1), cancellationToken);
        await client.WaitForAcknowledgementAsync(cancellationToken);

        client.EnableDecisionTrace(DecisionTrace.MaxCapacity);
        for (var i = 0; i < 5; i++)
        {
            await client.WriteAsync(EngineTestKit.Bytes(300, 10 + i), cancellationToken);
            await client.FlushAsync(cancellationToken);
            await client.WaitForAcknowledgementAsync(cancellationToken);
        }

        var pushes = client.GetDecisionTrace().Decisions.SelectMany(d => d.Actions).Where(a => a.Kind == TracedActionKind.Push).ToList();
        client.CompleteWrites();
        Assert.That((await reader).Length, Is.EqualTo(Bulk + (5 * 300)));
        Assert.That(pushes.Select(p => p.Length), Is.EqualTo(Enumerable.Repeat(300L, 5)), "one packet per message, as written");
    }

    private static long Units(long length) => Math.Max(1, (length + PacketSize - 1) / PacketSize);
}
