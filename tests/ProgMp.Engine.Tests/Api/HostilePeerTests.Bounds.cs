using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using ProgMp.Engine.Tests.Support;
using ProgMp.Engine.Timing;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Api;

/// <summary>
/// Attacks on what a peer can make the engine spend, each against a live listener over real sockets
/// with a well-behaved session beside it: the attacker gets the right refusal, the process's managed
/// heap grows by less than <see cref="AttackMemoryBoundMiB"/> (the engine's pooled buffers live
/// there), and the other session moves its bytes intact. Each test prints what the attack cost
/// (peak heap growth and CPU seconds); none asserts a speed.
/// </summary>
public partial class HostilePeerTests
{
    /// <summary>What one attack may add to the managed heap at its peak, the well-behaved session's own buffers included.</summary>
    private const double AttackMemoryBoundMiB = 48;

    /// <summary>How long an attack's outcome may take to show, however loaded the machine.</summary>
    private static readonly TimeSpan s_outcome = TimeSpan.FromSeconds(60);

    [Test]
    [CancelAfter(120_000)]
    public async Task Data_on_thousands_of_stream_ids_never_opened_ends_the_session_and_holds_nothing(CancellationToken cancellationToken)
    {
        const int ids = 3_000;
        var options = BoundedOptions(new MultipathLimits());
        await RunBesideWellBehavedAsync(options, $"DATA of 64 KiB on {ids:N0} stream ids never opened", async (raw, hostile, token) =>
        {
            var frame = RawPeer.Encode(new DataFrame(1, 0, 1, 1, new byte[64 * 1024]));
            for (uint i = 0; i < ids && !hostile.Completion.IsCompleted; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(WireFormat.HeaderLength), 1 + (2 * i));
                if (!await raw.TrySendAsync(frame, token))
                {
                    break;
                }
            }

            await WaitQuietlyAsync(hostile.Completion, token);
        }, hostile =>
        {
            Assert.That(hostile.CloseReason, Does.Contain(nameof(ProtocolErrorReason.StreamIdNotAllowed)));
            Assert.That(options.Limits.Hits(ResourceLimit.UnopenedStream), Is.EqualTo(1));
        }, cancellationToken);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Streams_opened_past_the_limit_are_refused_and_data_past_the_windows_ends_the_session(CancellationToken cancellationToken)
    {
        const int streams = 1_000;
        var limits = new MultipathLimits { StreamsPerSession = 64, SessionBufferBytes = 16 * 1024 * 1024 };
        var options = BoundedOptions(limits);
        await RunBesideWellBehavedAsync(options, $"{streams:N0} streams opened, 64 KiB each, none accepted", async (raw, hostile, token) =>
        {
            var open = RawPeer.Encode(new StreamOpenFrame(1, Destination.None));
            var data = RawPeer.Encode(new DataFrame(1, 0, 1, 1, new byte[limits.InitialStreamWindow]));
            for (uint i = 0; i < streams; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(open.AsSpan(WireFormat.HeaderLength), 1 + (2 * i));
                BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(WireFormat.HeaderLength), 1 + (2 * i));
                if (!await raw.TrySendAsync(open, token) || !await raw.TrySendAsync(data, token))
                {
                    break;
                }
            }

            await EventuallyAsync(() => limits.Hits(ResourceLimit.StreamsPerSession) >= streams - limits.StreamsPerSession, token);
            Assert.That(hostile.Completion.IsCompleted, Is.False, "refusing streams costs the peer those streams only");
            Assert.That(hostile.GetStatistics().Streams, Has.Count.EqualTo(limits.StreamsPerSession));

            await raw.TrySendAsync(RawPeer.Encode(new DataFrame(1, limits.SessionBufferBytes, 1, 1, new byte[10])), token);
            await WaitQuietlyAsync(hostile.Completion, token);
        }, hostile =>
        {
            Assert.That(limits.Hits(ResourceLimit.StreamsPerSession), Is.EqualTo(streams - limits.StreamsPerSession));
            Assert.That(hostile.CloseReason, Does.Contain(nameof(ProtocolErrorReason.FlowControl)));
            Assert.That(limits.Hits(ResourceLimit.SessionBufferedBytes), Is.EqualTo(1));
        }, cancellationToken);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Overlapping_segments_are_held_once_and_the_stream_still_delivers_them_in_order(CancellationToken cancellationToken)
    {
        // Each 32 KiB copy starts 1 KiB after the one before: 2,000 of them carry 64 MB on the wire, 2 MB of it new.
        const int copies = 2_000;
        const int step = 1024;
        const int length = 32 * 1024;
        var end = 1 + ((copies - 1) * step) + length;
        var content = EngineTestKit.Bytes(end, 21);
        var options = BoundedOptions(new MultipathLimits());
        await RunBesideWellBehavedAsync(options, $"{copies:N0} overlapping 32 KiB segments ahead of a hole", async (raw, hostile, token) =>
        {
            await OpenStreamAndWaitForWindowAsync(raw, token);
            var batch = new byte[1024 * 1024];
            var used = 0;
            for (var i = 0; i < copies; i++)
            {
                var seq = 1 + (i * step);
                used += FrameEncoder.Write(batch.AsSpan(used), new DataFrame(1, seq, 1, 1, content.AsMemory(seq, length)));
                if (used > batch.Length - length - 64 || i == copies - 1)
                {
                    Assert.That(await raw.TrySendAsync(batch.AsMemory(0, used), token), Is.True);
                    used = 0;
                }
            }

            await raw.SendAsync(new DataFrame(1, 0, 1, 1, content.AsMemory(0, 1)), token);
            await raw.SendAsync(new DataFrame(1, end, 1, 1, ReadOnlyMemory<byte>.Empty, fin: true), token);
            var stream = await hostile.AcceptStreamAsync(token);
            var (hash, read) = await EngineTestKit.ReceiveAllAsync(stream, token);
            Assert.That(read, Is.EqualTo(end));
            Assert.That(hash, Is.EqualTo(SHA256.HashData(content)), "every byte once, in order");
        }, hostile => Assert.That(hostile.Completion.IsCompleted, Is.False, "overlapping copies are no offence"), cancellationToken);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Descending_one_byte_segments_cost_the_peer_its_session_at_the_segment_bound(CancellationToken cancellationToken)
    {
        const int segments = 400_000;
        var options = BoundedOptions(new MultipathLimits());
        await RunBesideWellBehavedAsync(options, $"{segments:N0} one-byte segments in descending order", async (raw, hostile, token) =>
        {
            await OpenStreamAndWaitForWindowAsync(raw, token);
            var one = new byte[1];
            var batch = new byte[8192 * 32];
            var used = 0;
            for (long seq = segments; seq >= 1 && !hostile.Completion.IsCompleted; seq--)
            {
                used += FrameEncoder.Write(batch.AsSpan(used), new DataFrame(1, seq, 1, 1, one));
                if (used > batch.Length - 64 || seq == 1)
                {
                    if (!await raw.TrySendAsync(batch.AsMemory(0, used), token))
                    {
                        break;
                    }

                    used = 0;
                }
            }

            await WaitQuietlyAsync(hostile.Completion, token);
        }, hostile =>
        {
            Assert.That(hostile.CloseReason, Does.Contain(nameof(ResourceLimit.SegmentsPerStream)));
            Assert.That(hostile.EndReason, Is.EqualTo(SessionEndReason.ResourceLimit));
            Assert.That(options.Limits.Hits(ResourceLimit.SegmentsPerStream), Is.EqualTo(1));
        }, cancellationToken);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_ping_flood_from_a_peer_that_never_reads_stops_being_read_and_costs_it_its_subflow(CancellationToken cancellationToken)
    {
        // The dead timeout is far away, so only the control queue's bound can end the subflow in time.
        var limits = new MultipathLimits { ControlDrainTimeout = TimeSpan.FromSeconds(2) };
        var options = BoundedOptions(limits, deadTimeout: TimeSpan.FromSeconds(30));
        const long flood = 128L * 1024 * 1024;
        await RunBesideWellBehavedAsync(options, $"a flood of up to {flood / (1024 * 1024)} MiB of PINGs, nothing read", async (raw, hostile, token) =>
        {
            var ping = RawPeer.Encode(new PingFrame(1));
            var batch = new byte[ping.Length * 4096];
            for (var offset = 0; offset < batch.Length; offset += ping.Length)
            {
                ping.CopyTo(batch, offset);
            }

            var sent = 0L;
            var started = Stopwatch.StartNew();
            while (sent < flood && started.Elapsed < s_outcome && await raw.TrySendAsync(batch, token))
            {
                sent += batch.Length;
            }

            await EventuallyAsync(() => SessionPair.ActiveSubflows(hostile) == 0 && hostile.GetStatistics().Subflows.Count == 0, token);
        }, hostile =>
        {
            Assert.That(limits.Hits(ResourceLimit.ControlBytesPerSubflow), Is.GreaterThanOrEqualTo(1));
            Assert.That(hostile.GetStatistics().Subflows, Is.Empty, "the flooding subflow was closed");
            Assert.That(hostile.Completion.IsCompleted, Is.False, "a subflow, not the session");
        }, cancellationToken);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Forged_pongs_do_not_keep_a_subflow_that_never_reads_alive(CancellationToken cancellationToken)
    {
        var options = BoundedOptions(new MultipathLimits());
        await RunBesideWellBehavedAsync(options, "forged PONGs every 10 ms, nothing read", async (raw, hostile, token) =>
        {
            var started = Stopwatch.StartNew();
            while (hostile.GetStatistics().Subflows.Count > 0 && started.Elapsed < s_outcome)
            {
                // A clever forger: a timestamp of the engine's own clock, a moment old.
                var now = MonotonicClock.NowMicroseconds;
                if (!await raw.TrySendAsync(RawPeer.Encode(new PongFrame(now - 500, now, 0)), token))
                {
                    break;
                }

                await Task.Delay(10, token);
            }
        }, hostile => Assert.That(hostile.GetStatistics().Subflows, Is.Empty, "the silent subflow timed out while the forged pongs kept coming"), cancellationToken);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_truncated_frame_followed_by_silence_costs_the_peer_its_subflow_within_the_dead_timeout(CancellationToken cancellationToken)
    {
        var options = BoundedOptions(new MultipathLimits());
        await RunBesideWellBehavedAsync(options, "a DATA header for 1,000 bytes, 10 sent, then silence", async (raw, hostile, token) =>
        {
            await raw.SendAsync(new StreamOpenFrame(1, Destination.None), token);
            var frame = RawPeer.Encode(new DataFrame(1, 0, 1, 1, new byte[1000]));
            await raw.SendAsync(frame[..(FrameEncoder.DataPrefixLength + 10)], token);
            await EventuallyAsync(() => hostile.GetStatistics().Subflows.Count == 0, token);
        }, hostile => Assert.That(hostile.GetStatistics().Subflows, Is.Empty, "no wait on a peer lasts for ever"), cancellationToken);
    }

    /// <summary>
    /// A listener; the attacker's session on it (set up by <see cref="RawPeer"/>) and a well-behaved
    /// one beside it, which moves 2 MB while <paramref name="attack"/> runs. Measures the attack,
    /// prints what it cost, then checks the well-behaved transfer, the memory bound and <paramref name="verify"/>.
    /// </summary>
    private static async Task RunBesideWellBehavedAsync(
        MultipathOptions options,
        string name,
        Func<RawPeer, MultipathSession, CancellationToken, Task> attack,
        Action<MultipathSession> verify,
        CancellationToken cancellationToken)
    {
        var listener = EngineTestKit.StartListener(options);
        RawPeer? raw = null;
        try
        {
            (raw, var hostile) = await RawPeer.StartSessionAsync(listener, cancellationToken);
            await using var good = await SessionPair.StartAsync(listener, [new MultipathPath(listener.LocalEndPoints[0])], options, cancellationToken);
            var data = EngineTestKit.Bytes(2_000_000, 17);
            var meter = ResourceMeter.Start();
            var transfer = TransferAsync(good, data, cancellationToken);
            try
            {
                await attack(raw, hostile, cancellationToken);
            }
            finally
            {
                await meter.DisposeAsync();
                await TestContext.Out.WriteLineAsync(meter.Describe(name));
            }

            Assert.Multiple(() =>
            {
                verify(hostile);
                Assert.That(meter.PeakGrowthMiB, Is.LessThan(AttackMemoryBoundMiB), "peak managed heap growth, MiB");
            });
            Assert.That(await transfer, Is.EqualTo(SHA256.HashData(data)), "the well-behaved session beside the attack moved its bytes intact");
        }
        finally
        {
            if (raw is not null)
            {
                await raw.DisposeAsync();
            }

            await listener.DisposeAsync();
        }
    }

    private static async Task<byte[]> TransferAsync(SessionPair pair, byte[] data, CancellationToken cancellationToken)
    {
        var (client, server) = await pair.OpenStreamAsync(cancellationToken);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        await EngineTestKit.SendAllAsync(client, data, cancellationToken);
        return (await reader).Hash;
    }

    /// <summary>Opens stream 1 and waits for its first acknowledgement, which offers a window beyond the initial one.</summary>
    private static async Task OpenStreamAndWaitForWindowAsync(RawPeer raw, CancellationToken cancellationToken)
    {
        await raw.SendAsync(new StreamOpenFrame(1, Destination.None), cancellationToken);
        var ack = await raw.ReceiveAsync(FrameType.DataAck, cancellationToken);
        Assert.That(ack?.DataAck.Window, Is.GreaterThan(1_000_000), "the stream's window grew from the session's budget");
    }

    private static MultipathOptions BoundedOptions(MultipathLimits limits, TimeSpan? deadTimeout = null) => new()
    {
        Registry = EngineTestKit.LoadLibrary(),
        DefaultScheduler = "minRtt",
        DeadTimeout = deadTimeout ?? TimeSpan.FromSeconds(1),
        Limits = limits,

        // The attacks come from a client that holds a credential: TLS stops everyone else earlier.
        Security = TestSecurity.Tls,
    };

    /// <summary>Waits up to <see cref="s_outcome"/> for <paramref name="task"/>; the checks after say whether it came.</summary>
    private static async Task WaitQuietlyAsync(Task task, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(s_outcome, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>Polls <paramref name="condition"/> for up to <see cref="s_outcome"/>; the checks after say whether it came true.</summary>
    private static async Task EventuallyAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        while (!condition() && started.Elapsed < s_outcome)
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}
