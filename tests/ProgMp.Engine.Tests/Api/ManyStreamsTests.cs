using System.Security.Cryptography;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Api;

/// <summary>Many streams share one session's subflows (TM3's pipes), each whole and in order.</summary>
public class ManyStreamsTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task A_thousand_concurrent_streams_over_one_session_each_arrive_whole_both_ways(CancellationToken cancellationToken)
    {
        const int Streams = 1000;
        await using var pair = await SessionPair.StartAsync(2, EngineTestKit.Options(), cancellationToken);

        var servers = Task.Run(async () =>
        {
            var echoes = new List<Task>();
            for (var i = 0; i < Streams; i++)
            {
                var stream = await pair.Server.AcceptStreamAsync(cancellationToken);
                echoes.Add(EchoAsync(stream, cancellationToken));
            }

            await Task.WhenAll(echoes);
        }, cancellationToken);

        var clients = Enumerable.Range(0, Streams).Select(async i =>
        {
            await using var stream = pair.Client.OpenStream();
            var data = EngineTestKit.Bytes(4096 + (i * 37 % 20_000), i);
            var reply = EngineTestKit.ReceiveAllAsync(stream, cancellationToken);
            await EngineTestKit.SendAllAsync(stream, data, cancellationToken, chunk: 3000);
            var (hash, length) = await reply;
            Assert.That(length, Is.EqualTo(data.Length), $"stream {stream.Id}");
            Assert.That(hash, Is.EqualTo(SHA256.HashData(data)), $"stream {stream.Id}");
        }).ToList();

        await Task.WhenAll(clients);
        await servers;
        var stats = pair.Client.GetStatistics();
        Assert.That(stats.SchedulerInvocations, Is.GreaterThan(Streams));
    }

    private static async Task EchoAsync(MultipathStream stream, CancellationToken cancellationToken)
    {
        await using (stream)
        {
            var buffer = new byte[8192];
            while (true)
            {
                var n = await stream.ReadAsync(buffer, cancellationToken);
                if (n == 0)
                {
                    break;
                }

                await stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            }

            stream.CompleteWrites();
        }
    }
}
