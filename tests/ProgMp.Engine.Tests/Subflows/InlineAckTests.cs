using System.Security.Cryptography;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Subflows;

/// <summary>
/// A receiver's acknowledgements leave from the receive loop that read the data, without a hop to the
/// send loop's thread, when the subflow is plaintext and its send loop has nothing to write; under TLS
/// (one writer per encrypted stream) the send loop writes them as before. Either way every byte arrives.
/// </summary>
public sealed class InlineAckTests
{
    private const int Bulk = 2 * 1024 * 1024;

    [Test]
    [CancelAfter(60_000)]
    public async Task A_receivers_acknowledgements_are_written_by_its_receive_loop_in_plaintext_only([Values] bool tls, CancellationToken cancellationToken)
    {
        var options = new MultipathOptions
        {
            Registry = EngineTestKit.LoadLibrary(),
            DefaultScheduler = "minRtt",
            SuspectTimeoutFloor = TimeSpan.FromMinutes(5),
            Security = TestSecurity.For(tls),
        };
        await using var pair = await SessionPair.StartAsync(1, options, cancellationToken);
        var (client, server) = await pair.OpenStreamAsync(cancellationToken);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        var bulk = EngineTestKit.Bytes(Bulk, 7);

        await client.WriteAsync(bulk, cancellationToken);
        await client.WaitForAcknowledgementAsync(cancellationToken);
        client.CompleteWrites();
        var received = await reader;

        long inline;
        lock (pair.Server.Core.Gate)
        {
            inline = pair.Server.Core.SubflowsLocked.Sum(s => s.InlineControlWrites);
        }

        Assert.Multiple(() =>
        {
            Assert.That(received.Hash, Is.EqualTo(SHA256.HashData(bulk)), "every byte arrived once, in order");
            Assert.That(inline, tls ? Is.Zero : Is.GreaterThan(0));
        });
    }
}
