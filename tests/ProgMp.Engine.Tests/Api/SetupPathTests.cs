using System.Net;
using ProgMp.Emulation;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Api;

/// <summary>
/// A session set up over another path than the client's first (the first refused at the time): the
/// server still tells the client's paths apart, so removing or marking one reaches only its subflow.
/// </summary>
public class SetupPathTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task Removing_the_first_path_after_a_setup_over_the_second_leaves_the_second_paths_subflow_alone(CancellationToken cancellationToken)
    {
        var options = EngineTestKit.Options();
        await using var listener = EngineTestKit.StartListener(options);
        var target = listener.LocalEndPoints[0];
        await using var refusing = PathEmulator.Start(new IPEndPoint(IPAddress.Loopback, 0), target);
        refusing.Fail(PathFailureMode.Reset);

        await using var client = await MultipathClient.ConnectAsync([new MultipathPath(refusing.LocalEndPoint), new MultipathPath(target)], options, new TestLoggerFactory(), cancellationToken);
        await using var server = await listener.AcceptSessionAsync(cancellationToken);
        refusing.Restore();
        while (SessionPair.ActiveSubflows(client) < 2 || SessionPair.ActiveSubflows(server) < 2)
        {
            await Task.Delay(10, cancellationToken);
        }

        var second = client.GetStatistics().Subflows.Single(s => s.PathId == 1).Id;
        Assert.That(server.GetStatistics().Subflows.Select(s => s.PathId).Distinct().Count(), Is.EqualTo(2), "the server sees two paths");

        Assert.That(client.RemovePath(0), Is.True);
        while (server.GetStatistics().Subflows.Count != 1)
        {
            await Task.Delay(10, cancellationToken);
        }

        // Data crosses after the server handled PATH_REMOVE: had it closed the wrong subflow, the second path's would be gone.
        await using var sent = client.OpenStream();
        await sent.WriteAsync(new byte[] { 1, 2, 3 }, cancellationToken);
        await using var received = await server.AcceptStreamAsync(cancellationToken);
        var buffer = new byte[3];
        await received.ReadExactlyAsync(buffer, cancellationToken);
        Assert.That(client.GetStatistics().Subflows.Where(s => s.State == SubflowState.Active).Select(s => s.Id), Is.EqualTo(new[] { second }));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_backup_path_that_sets_up_the_session_is_a_backup_on_the_servers_side_too(CancellationToken cancellationToken)
    {
        var options = EngineTestKit.Options();
        await using var listener = EngineTestKit.StartListener(options);
        await using var client = await MultipathClient.ConnectAsync([new MultipathPath(listener.LocalEndPoints[0], Backup: true)], options, new TestLoggerFactory(), cancellationToken);
        await using var server = await listener.AcceptSessionAsync(cancellationToken);

        // Bounded by CancelAfter: the flag arrives in a frame right after the setup.
        while (!server.GetStatistics().Subflows.Single().IsBackup)
        {
            await Task.Delay(10, cancellationToken);
        }

        Assert.That(client.GetStatistics().Subflows.Single().IsBackup, Is.True);
    }
}
