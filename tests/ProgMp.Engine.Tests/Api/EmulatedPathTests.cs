using System.Security.Cryptography;
using ProgMp.Emulation;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Api;

/// <summary>
/// Transfers over paths of different delay and rate (the project's path emulator), and paths that die
/// in the middle: the data arrives whole, and a path that comes back carries data again.
/// </summary>
public class EmulatedPathTests
{
    private const int Size = 64 * 1024 * 1024;

    public static IEnumerable<TestCaseData> Topologies()
    {
        yield return new TestCaseData((object)new[] { (200.0, 2.0), (100.0, 10.0) }).SetArgDisplayNames("2 paths: 200 Mbit/s 2 ms, 100 Mbit/s 10 ms");
        yield return new TestCaseData((object)new[] { (150.0, 2.0), (100.0, 8.0), (100.0, 15.0) }).SetArgDisplayNames("3 paths: 150/2, 100/8, 100/15");
        yield return new TestCaseData((object)new[] { (100.0, 1.0), (100.0, 5.0), (100.0, 10.0), (100.0, 20.0) }).SetArgDisplayNames("4 paths: 100 Mbit/s at 1, 5, 10, 20 ms");
    }

    [TestCaseSource(nameof(Topologies))]
    [CancelAfter(120_000)]
    public async Task Sixty_four_MiB_each_way_at_once_arrive_whole(ValueTuple<double, double>[] paths, CancellationToken cancellationToken)
    {
        await using var session = await EmulatedSession.StartAsync(EngineTestKit.Options(), paths.Select(p => EmulatedSession.Path(p.Item1, p.Item2)).ToList(), cancellationToken);
        var (client, server) = await session.Pair.OpenStreamAsync(cancellationToken);
        var up = EngineTestKit.Bytes(Size, 1);
        var down = EngineTestKit.Bytes(Size, 2);

        var receivedUp = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        var receivedDown = EngineTestKit.ReceiveAllAsync(client, cancellationToken);
        await Task.WhenAll(EngineTestKit.SendAllAsync(client, up, cancellationToken, chunk: 1 << 20), EngineTestKit.SendAllAsync(server, down, cancellationToken, chunk: 1 << 20));

        Assert.That((await receivedUp).Hash, Is.EqualTo(SHA256.HashData(up)));
        Assert.That((await receivedDown).Hash, Is.EqualTo(SHA256.HashData(down)));
        for (var i = 0; i < paths.Length; i++)
        {
            Assert.That(session.ClientBytesOnPath(i), Is.GreaterThan(0), $"path {i} carried data");
        }
    }

    [TestCase("reset")]
    [TestCase("blackhole")]
    [CancelAfter(120_000)]
    public async Task A_path_that_dies_mid_transfer_loses_nothing_and_carries_data_again_when_it_returns(string failure, CancellationToken cancellationToken)
    {
        var mode = failure == "reset" ? PathFailureMode.Reset : PathFailureMode.Blackhole;
        var options = new MultipathOptions { Registry = EngineTestKit.LoadLibrary(), ReconnectMaxDelay = TimeSpan.FromMilliseconds(500), Security = TestSecurity.Tls };
        await using var session = await EmulatedSession.StartAsync(options, [EmulatedSession.Path(200, 2), EmulatedSession.Path(100, 10)], cancellationToken);
        var (client, server) = await session.Pair.OpenStreamAsync(cancellationToken);
        var first = EngineTestKit.Bytes(16 * 1024 * 1024, 3);
        var second = EngineTestKit.Bytes(16 * 1024 * 1024, 4);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);

        var writing = client.WriteAsync(first, cancellationToken).AsTask();
        await WaitUntilAsync(() => session.ClientBytesOnPath(0) > 2 * 1024 * 1024, cancellationToken);
        session.Paths[0].Fail(mode);
        await writing;
        await client.WaitForAcknowledgementAsync(cancellationToken);
        Assert.That(client.GetStatistics().ReinjectedBytes, Is.GreaterThan(0), "what the dead path carried went again on the other");

        session.Paths[0].Restore();
        await WaitUntilAsync(() => SessionPair.ActiveSubflows(session.Client) == 2, cancellationToken);
        var before = session.ClientBytesOnPath(0);
        await client.WriteAsync(second, cancellationToken);
        client.CompleteWrites();
        var (hash, length) = await reader;

        Assert.That(length, Is.EqualTo(first.Length + second.Length));
        Assert.That(hash, Is.EqualTo(SHA256.HashData([.. first, .. second])));
        Assert.That(session.ClientBytesOnPath(0) - before, Is.GreaterThan(256 * 1024), "the path that came back carries data again");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(10, cancellationToken);
        }
    }
}
