using System.Net;
using System.Security.Cryptography;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Api;

/// <summary>Bytes through real sessions on loopback arrive whole and in order, both directions at once.</summary>
public class TransferTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task Bytes_arrive_whole_both_directions_over_two_subflows(CancellationToken cancellationToken)
    {
        var options = EngineTestKit.Options();
        await using var listener = EngineTestKit.StartListener(options);
        var endpoint = listener.LocalEndPoints[0];
        await using var client = await MultipathClient.ConnectAsync([new MultipathPath(endpoint), new MultipathPath(endpoint)], options, new TestLoggerFactory(), cancellationToken);
        await using var server = await listener.AcceptSessionAsync(cancellationToken);
        var up = EngineTestKit.Bytes(8 * 1024 * 1024, 1);
        var down = EngineTestKit.Bytes(8 * 1024 * 1024, 2);

        await using var clientStream = client.OpenStream();
        await using var serverStream = await server.AcceptStreamAsync(cancellationToken);
        var sendUp = EngineTestKit.SendAllAsync(clientStream, up, cancellationToken);
        var sendDown = EngineTestKit.SendAllAsync(serverStream, down, cancellationToken);
        var receivedUp = EngineTestKit.ReceiveAllAsync(serverStream, cancellationToken);
        var receivedDown = EngineTestKit.ReceiveAllAsync(clientStream, cancellationToken);
        await Task.WhenAll(sendUp, sendDown, receivedUp, receivedDown);

        Assert.That((await receivedUp).Hash, Is.EqualTo(SHA256.HashData(up)));
        Assert.That((await receivedDown).Hash, Is.EqualTo(SHA256.HashData(down)));
        var stats = client.GetStatistics();
        Assert.That(stats.Subflows, Has.Count.EqualTo(2));
        TestContext.Out.WriteLine(string.Join("\n", stats.Subflows));
    }
}
