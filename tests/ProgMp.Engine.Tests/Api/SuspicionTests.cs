using System.Security.Cryptography;
using ProgMp.Emulation;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Api;

/// <summary>
/// A subflow suspected while it still works costs copies, never data: every byte arrives once and the
/// transfer completes. A timeout far too short invites false suspicions at every jitter; short
/// blackholes (bytes held, then released, as a congested radio does) make sure some happen. The data
/// keeps coming until one has: the engine rightly judges no path while its own process is starved
/// (a late timer tick postpones judging), so on a loaded machine one hiccup may pass unjudged.
/// </summary>
public class SuspicionTests
{
    private const int Round = 16 * 1024 * 1024;

    [TestCase(1, "minRtt")]
    [TestCase(2, "minRtt")]
    [TestCase(2, "redundant")]
    [TestCase(2, "roundRobin")]
    [CancelAfter(60_000)]
    public async Task False_suspicions_lose_and_stall_nothing(int subflows, string scheduler, CancellationToken cancellationToken)
    {
        var options = new MultipathOptions
        {
            Registry = EngineTestKit.LoadLibrary(),
            DefaultScheduler = scheduler,
            PacketSize = 16 * 1024,
            ReceiveWindow = 1024 * 1024,
            SuspectTimeoutFloor = TimeSpan.FromMicroseconds(1),
            Security = TestSecurity.Tls,
        };
        var profiles = Enumerable.Range(0, subflows).Select(_ => EmulatedSession.Path(200, 1)).ToList();
        await using var session = await EmulatedSession.StartAsync(options, profiles, cancellationToken);
        var (client, server) = await session.Pair.OpenStreamAsync(cancellationToken);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        using var transferDone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var hiccups = HiccupAsync(session.Paths, transferDone.Token);
        using var sent = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        var rounds = 0;

        // Round after round until a subflow has been suspected (the test's timeout bounds it).
        do
        {
            var data = EngineTestKit.Bytes(Round, (subflows * 1000) + rounds);
            for (var offset = 0; offset < data.Length; offset += 1 << 20)
            {
                await client.WriteAsync(data.AsMemory(offset, Math.Min(1 << 20, data.Length - offset)), cancellationToken);
            }

            sent.AppendData(data);
            length += data.Length;
            rounds++;
        }
        while (Suspicions(session) == 0);

        client.CompleteWrites();
        var received = await reader;
        await transferDone.CancelAsync();
        await hiccups;
        await TestContext.Out.WriteLineAsync($"{rounds} rounds of {Round} bytes, {Suspicions(session)} suspicions");

        Assert.That(received.Length, Is.EqualTo(length));
        Assert.That(received.Hash, Is.EqualTo(sent.GetHashAndReset()));
        Assert.That(Suspicions(session), Is.GreaterThan(0), "a path silent for 100 ms is suspected");
    }

    private static long Suspicions(EmulatedSession session) => session.Client.GetStatistics().Subflows.Sum(s => s.TimesSuspected);

    /// <summary>Holds every path's bytes for 100 ms every 300 ms until cancelled.</summary>
    private static async Task HiccupAsync(IReadOnlyList<PathEmulator> paths, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(200, cancellationToken);
                foreach (var path in paths)
                {
                    path.Fail(PathFailureMode.Blackhole);
                }

                try
                {
                    await Task.Delay(100, cancellationToken);
                }
                finally
                {
                    foreach (var path in paths)
                    {
                        path.Restore();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
