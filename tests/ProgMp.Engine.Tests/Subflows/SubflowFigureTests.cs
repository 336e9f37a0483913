using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Subflows;

/// <summary>
/// The subflow figures a program reads (DESIGN.md: measured end to end at the data level) agree with
/// the emulated path they describe. The program itself reports what it sees through registers, so this
/// checks the figures as the language gives them. Lower bounds are physical and strict; upper bounds
/// are generous, because the machine is shared. Delays are checked at their least over the transfer:
/// no figure may ever be below the path's, and one must come close to it, while a single late sample
/// (the last one, say) may carry any stall a loaded machine adds.
/// </summary>
public class SubflowFigureTests
{
    private const double OneWayMs = 20;
    private const double RateMbit = 100;

    // minRtt's decisions, plus the figures of the first subflow into R1..R6: the least RTT and one-way
    // delays once measured (0 until then), the most CWND, BW_OUT_SEND and SKBS_IN_FLIGHT.
    private const string Observer = """
        SCHEDULER observer;
        VAR s = SUBFLOWS.GET(0);
        IF (s != NULL) {
          IF (s.RTT > 0 AND (R1 == 0 OR s.RTT < R1)) { SET(R1, s.RTT); }
          IF (s.DELAY_OUT > 0 AND (R2 == 0 OR s.DELAY_OUT < R2)) { SET(R2, s.DELAY_OUT); }
          IF (s.DELAY_IN > 0 AND (R3 == 0 OR s.DELAY_IN < R3)) { SET(R3, s.DELAY_IN); }
          IF (s.CWND > R4) { SET(R4, s.CWND); }
          IF (s.BW_OUT_SEND > R5) { SET(R5, s.BW_OUT_SEND); }
          IF (s.SKBS_IN_FLIGHT > R6) { SET(R6, s.SKBS_IN_FLIGHT); }
        }
        VAR candidates = SUBFLOWS.FILTER(sbf => sbf.CWND > sbf.SKBS_IN_FLIGHT + sbf.QUEUED AND !sbf.THROTTLED);
        IF (!RQ.EMPTY) {
          VAR retry = candidates.FILTER(sbf => sbf.HAS_WINDOW_FOR(RQ.TOP)).MIN(sbf => sbf.RTT);
          IF (retry != NULL) { retry.PUSH(RQ.POP()); RETURN; }
        }
        IF (!Q.EMPTY) {
          candidates.FILTER(sbf => sbf.HAS_WINDOW_FOR(Q.TOP)).MIN(sbf => sbf.RTT).PUSH(Q.POP());
        }
        """;

    [Test]
    [CancelAfter(60_000)]
    public async Task RTT_delays_window_rate_and_in_flight_match_the_emulated_path(CancellationToken cancellationToken)
    {
        var registry = EngineTestKit.LoadLibrary();
        Assert.That(registry.Load(Observer).Succeeded, Is.True);
        var options = new MultipathOptions { Registry = registry, DefaultScheduler = "observer", Security = TestSecurity.Tls };
        await using var session = await EmulatedSession.StartAsync(options, [EmulatedSession.Path(RateMbit, OneWayMs)], cancellationToken);
        var (client, server) = await session.Pair.OpenStreamAsync(cancellationToken);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);

        // About three seconds at the path's rate: long enough to leave slow start and fill the path.
        await EngineTestKit.SendAllAsync(client, EngineTestKit.Bytes(36 * 1024 * 1024, 1), cancellationToken, chunk: 1 << 20);
        await reader;
        await client.WaitForAcknowledgementAsync(cancellationToken);

        var minRttUs = client.GetRegister(1);
        var minDelayOutUs = client.GetRegister(2);
        var minDelayInUs = client.GetRegister(3);
        var maxCwnd = client.GetRegister(4);
        var maxSendRate = client.GetRegister(5);
        var maxInFlight = client.GetRegister(6);
        TestContext.Out.WriteLine($"RTT from {minRttUs} us, out from {minDelayOutUs} us, in from {minDelayInUs} us, cwnd up to {maxCwnd}, BW_OUT_SEND up to {maxSendRate} B/s, in flight up to {maxInFlight}");
        var subflow = session.Client.GetStatistics().Subflows.Single();
        var bdpPackets = RateMbit * 1e6 / 8 * (2 * OneWayMs / 1000) / options.PacketSize;
        var rateBytes = RateMbit * 1e6 / 8;

        Assert.Multiple(() =>
        {
            Assert.That(minRttUs, Is.InRange(2 * OneWayMs * 1000, 2 * OneWayMs * 1000 * 5), "RTT: never below the emulated round trip, and about it");
            Assert.That(subflow.MinRttMicroseconds, Is.InRange(2 * OneWayMs * 1000, 2 * OneWayMs * 1000 * 2), "the least RTT is the path's own");
            Assert.That(minDelayOutUs, Is.InRange(OneWayMs * 1000 * 0.5, OneWayMs * 1000 * 5), "DELAY_OUT: about the one-way delay");
            Assert.That(minDelayInUs, Is.InRange(OneWayMs * 1000 * 0.5, OneWayMs * 1000 * 5), "DELAY_IN: about the one-way delay");
            Assert.That(maxCwnd, Is.InRange(bdpPackets * 0.5, bdpPackets * 6), "CWND grew to about 1.5 times the bandwidth-delay product");
            Assert.That(maxInFlight, Is.InRange(bdpPackets * 0.3, maxCwnd), "SKBS_IN_FLIGHT filled the path and stayed within the window");
            Assert.That(maxSendRate, Is.InRange(rateBytes * 0.4, rateBytes * 1.6), "BW_OUT_SEND: about the path's rate over a second");
            Assert.That(subflow.InFlight, Is.Zero, "nothing in flight once everything is acknowledged");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task The_window_grows_for_acknowledgements_that_take_longer_on_their_way_back(CancellationToken cancellationToken)
    {
        // The way back slows from 10 to 40 ms mid-transfer, as when acknowledgements queue behind the
        // other direction's data: the round trip goes from 20 to 50 ms while the least RTT stays 20. A
        // window of 1.5 times rate x least RTT then covers 30 of the 50 ms, and the rate it measures, so
        // the window, falls round after round; covering the wait, the window grows by rate x 30 ms.
        // Medians of the window over the second half of each phase, so that one high rate sample does not count.
        const int Before = 12 * 1024 * 1024;
        const int After = 16 * 1024 * 1024;
        await using var session = await EmulatedSession.StartAsync(EngineTestKit.Options(), [EmulatedSession.Path(RateMbit, 10)], cancellationToken);
        var (client, server) = await session.Pair.OpenStreamAsync(cancellationToken);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        var writer = EngineTestKit.SendAllAsync(client, EngineTestKit.Bytes(Before + After + (4 * 1024 * 1024), 5), cancellationToken, chunk: 1 << 20);

        var cwndBefore = await MedianWindowAsync(session, client, Before / 2, Before, cancellationToken);
        session.Paths[0].SetProfile(ProgMp.Emulation.PathDirection.ToClient, EmulatedSession.Path(RateMbit, 40));
        var cwndAfter = await MedianWindowAsync(session, client, Before + (After / 2), Before + After, cancellationToken);
        await writer;
        await reader;

        TestContext.Out.WriteLine($"CWND with the way back at 10 ms: {cwndBefore}; at 40 ms: {cwndAfter}");
        Assert.That(cwndAfter, Is.GreaterThan(cwndBefore * 13 / 10), "the window covers the acknowledgements' longer way back");
    }

    /// <summary>The median CWND of the client's subflow while the stream's acknowledged bytes go from one figure to another.</summary>
    private static async Task<long> MedianWindowAsync(EmulatedSession session, MultipathStream stream, long from, long to, CancellationToken cancellationToken)
    {
        var windows = new List<long>();
        while (stream.GetStatistics().BytesAcked is var acked && acked < to)
        {
            if (acked >= from)
            {
                windows.Add(session.Client.GetStatistics().Subflows.Single().CongestionWindow);
            }

            await Task.Delay(5, cancellationToken);
        }

        windows.Add(session.Client.GetStatistics().Subflows.Single().CongestionWindow);
        windows.Sort();
        return windows[windows.Count / 2];
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_receiver_that_does_not_read_holds_the_sender_to_its_window(CancellationToken cancellationToken)
    {
        const int Window = 64 * 1024;
        const int Size = 1024 * 1024;
        var options = new MultipathOptions { Registry = EngineTestKit.LoadLibrary(), ReceiveWindow = Window, Security = TestSecurity.Tls };
        await using var session = await EmulatedSession.StartAsync(options, [EmulatedSession.Path(RateMbit, 5)], cancellationToken);
        var (client, server) = await session.Pair.OpenStreamAsync(cancellationToken);

        // The server does not read yet: once its window is full, HAS_WINDOW_FOR is false and nothing more goes out.
        await client.WriteAsync(EngineTestKit.Bytes(Size, 2), cancellationToken);
        await Task.Delay(500, cancellationToken);
        Assert.That(client.GetStatistics().BytesAcked, Is.LessThanOrEqualTo(Window), "the receiver took no more than its window");
        Assert.That(session.Client.GetStatistics().Subflows.Single().BytesSent, Is.LessThanOrEqualTo(Window));

        client.CompleteWrites();
        var (_, length) = await EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        Assert.That(length, Is.EqualTo(Size), "reading opens the window and the rest follows");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task One_way_delays_rank_subflows_as_their_paths_even_when_the_paths_are_asymmetric(CancellationToken cancellationToken)
    {
        // Path 0 is quick out and slow back (2 ms / 24 ms), path 1 the same both ways (10 ms): the
        // round trips are 26 and 20 ms, but path 0 is the quicker way out. An estimate of the clock
        // offset per subflow made each path look symmetric (path 0: 13 ms each way).
        await using var session = await EmulatedSession.StartAsync(EngineTestKit.Options("roundRobin"), [EmulatedSession.Path(RateMbit, 2), EmulatedSession.Path(RateMbit, 10)], cancellationToken);
        session.Paths[0].SetProfile(ProgMp.Emulation.PathDirection.ToClient, EmulatedSession.Path(RateMbit, 24));
        var (client, server) = await session.Pair.OpenStreamAsync(cancellationToken);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        await EngineTestKit.SendAllAsync(client, EngineTestKit.Bytes(1024 * 1024, 31), cancellationToken);
        await reader;

        var subflows = session.Client.GetStatistics().Subflows.OrderBy(s => s.PathId).ToList();
        TestContext.Out.WriteLine(string.Join("\n", subflows.Select(s => $"path {s.PathId}: out {s.DelayOutMicroseconds} us, in {s.DelayInMicroseconds} us, rtt {s.RttMicroseconds} us")));
        Assert.Multiple(() =>
        {
            Assert.That(subflows[0].DelayOutMicroseconds, Is.LessThan(subflows[1].DelayOutMicroseconds), "path 0 is the quicker way out");
            Assert.That(subflows[0].DelayInMicroseconds, Is.GreaterThan(subflows[1].DelayInMicroseconds), "path 1 is the quicker way back");
        });
    }
}
