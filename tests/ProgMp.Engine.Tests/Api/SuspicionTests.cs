using System.Security.Cryptography;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Api;

/// <summary>
/// A subflow suspected while it still works (a timeout far too short forces it again and again) costs
/// copies, never data: every byte arrives once and the transfer never stalls.
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
        };
        await using var pair = await SessionPair.StartAsync(subflows, options, cancellationToken);
        var (client, server) = await pair.OpenStreamAsync(cancellationToken);
        var data = EngineTestKit.Bytes(32 * 1024 * 1024, subflows);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);

        await EngineTestKit.SendAllAsync(client, data, cancellationToken, chunk: 1 << 20);
        var (hash, length) = await reader;

        Assert.That(length, Is.EqualTo(data.Length));
        Assert.That(hash, Is.EqualTo(SHA256.HashData(data)));
        Assert.That(pair.Client.GetStatistics().Subflows.Sum(s => s.TimesSuspected), Is.GreaterThan(0), "the timeout was short enough to suspect the subflows");
    }
}
