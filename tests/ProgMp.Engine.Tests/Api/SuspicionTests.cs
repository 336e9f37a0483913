using System.Security.Cryptography;
using ProgMp.Engine.Emulation;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Api;

/// <summary>
/// A subflow suspected while it still works costs copies, never data: every byte arrives once and the
/// transfer completes. A timeout far too short invites false suspicions at every jitter; short
/// blackholes (bytes held, then released, as a congested radio does) make sure some happen on any
/// machine, however quiet.
/// </summary>
public class SuspicionTests
{
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
        var data = EngineTestKit.Bytes(16 * 1024 * 1024, subflows);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        using var transferDone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var hiccups = HiccupAsync(session.Paths, transferDone.Token);

        await EngineTestKit.SendAllAsync(client, data, cancellationToken, chunk: 1 << 20);
        var (hash, length) = await reader;
        await transferDone.CancelAsync();
        var held = await hiccups;

        Assert.That(length, Is.EqualTo(data.Length));
        Assert.That(hash, Is.EqualTo(SHA256.HashData(data)));
        Assume.That(held, Is.GreaterThan(0), "the transfer ended before the first hiccup");
        Assert.That(session.Client.GetStatistics().Subflows.Sum(s => s.TimesSuspected), Is.GreaterThan(0), "a path silent for 100 ms is suspected");
    }

    /// <summary>Holds every path's bytes for 100 ms, three times, 200 ms apart; returns how many hiccups happened.</summary>
    private static async Task<int> HiccupAsync(IReadOnlyList<PathEmulator> paths, CancellationToken cancellationToken)
    {
        var count = 0;
        try
        {
            for (; count < 3; count++)
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

        return count;
    }
}
