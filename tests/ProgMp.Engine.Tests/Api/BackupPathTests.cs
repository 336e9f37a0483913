using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Api;

/// <summary>The default scheduler honours backup paths as the kernel's default does: idle while a regular path is up, used when none is.</summary>
public class BackupPathTests
{
    private const int Length = 2_000_000;

    [Test]
    [CancelAfter(60_000)]
    public async Task The_default_scheduler_sends_nothing_on_a_backup_path_while_a_regular_one_is_up(CancellationToken cancellationToken)
    {
        var options = EngineTestKit.Options();
        var listener = EngineTestKit.StartListener(options);
        var endpoint = listener.LocalEndPoints[0];
        await using var pair = await SessionPair.StartAsync(listener, [new MultipathPath(endpoint), new MultipathPath(endpoint, Backup: true)], options, cancellationToken);

        var backup = await TransferAsync(pair, seed: 1, cancellationToken);

        Assert.That(backup.BytesSent, Is.Zero, "payload on the backup path while the regular path was up");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task The_default_scheduler_moves_to_the_backup_path_when_the_regular_one_is_gone(CancellationToken cancellationToken)
    {
        var options = EngineTestKit.Options();
        var listener = EngineTestKit.StartListener(options);
        var endpoint = listener.LocalEndPoints[0];
        await using var pair = await SessionPair.StartAsync(listener, [new MultipathPath(endpoint), new MultipathPath(endpoint, Backup: true)], options, cancellationToken);
        Assert.That(pair.Client.RemovePath(0), Is.True);

        var backup = await TransferAsync(pair, seed: 2, cancellationToken);

        Assert.That(backup.BytesSent, Is.GreaterThanOrEqualTo(Length), "the backup path carried the transfer");
    }

    /// <summary>Sends <see cref="Length"/> bytes client to server, checks they arrive whole, and returns the backup subflow's figures.</summary>
    private static async Task<SubflowStatistics> TransferAsync(SessionPair pair, int seed, CancellationToken cancellationToken)
    {
        var data = EngineTestKit.Bytes(Length, seed);
        var (client, server) = await pair.OpenStreamAsync(cancellationToken);
        await using (client)
        await using (server)
        {
            var receiving = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
            await EngineTestKit.SendAllAsync(client, data, cancellationToken);
            var (hash, length) = await receiving;
            Assert.That(length, Is.EqualTo(Length));
            Assert.That(hash, Is.EqualTo(System.Security.Cryptography.SHA256.HashData(data)));
        }

        return pair.Client.GetStatistics().Subflows.Single(s => s.IsBackup);
    }
}
