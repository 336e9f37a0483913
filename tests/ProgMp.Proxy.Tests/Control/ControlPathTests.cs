using System.Net;
using System.Security.Cryptography;
using ProgMp.Proxy.Control;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Proxy.Tests.Control;

/// <summary>Paths of a client session, managed through the endpoint while data flows; a server's side refuses.</summary>
public class ControlPathTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task Removing_a_path_closes_its_subflow_and_the_transfer_still_completes_whole(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(2, "roundRobin", cancellationToken);
        var (client, server) = await harness.Pair.OpenStreamAsync(cancellationToken);
        var data = EngineTestKit.Bytes(16 * 1024 * 1024, 9);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        var sender = EngineTestKit.SendAllAsync(client, data, cancellationToken);
        var path = "/sessions/" + harness.Session.Id + "/paths/1";
        while (client.GetStatistics().BytesAcked == 0)
        {
            await Task.Delay(5, cancellationToken);
        }

        var removed = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.PathChangeReply, HttpMethod.Delete, path, cancellationToken: cancellationToken);
        while ((await harness.SessionReportAsync(cancellationToken)).Subflows.Any(s => s.PathId == 1))
        {
            await Task.Delay(10, cancellationToken);
        }

        await sender;
        var (hash, length) = await reader;
        var report = await harness.SessionReportAsync(cancellationToken);
        var again = await harness.ExpectErrorAsync(HttpStatusCode.Conflict, HttpMethod.Delete, path, cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(removed, Is.EqualTo(new PathChangeReply(harness.Session.Id, 1, Backup: false, Removed: true)));
            Assert.That(length, Is.EqualTo(data.Length));
            Assert.That(hash, Is.EqualTo(SHA256.HashData(data)), "nothing lost with the path");
            Assert.That(report.Subflows.Select(s => s.PathId), Is.EqualTo(new[] { 0 }));
            Assert.That(report.Paths.Single(p => p.Id == 1).Removed, Is.True);
            Assert.That(again.Error, Is.EqualTo($"path 1 of session {harness.Session.Id} was removed already"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_path_added_as_backup_gets_a_subflow_and_can_be_made_regular(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(1, "minRtt", cancellationToken);
        var listener = harness.Pair.Listener.LocalEndPoints[0];
        var body = $"{{\"remote\": \"{listener}\", \"local\": \"127.0.0.1\", \"backup\": true}}";

        var added = await harness.ExpectAsync(HttpStatusCode.Created, ControlJsonContext.Messages.PathAddReply, HttpMethod.Post, $"/sessions/{harness.Session.Id}/paths", body, cancellationToken);
        await harness.Pair.WaitForSubflowsAsync(2, cancellationToken);
        var withBackup = await harness.SessionReportAsync(cancellationToken);
        var regular = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.PathChangeReply, HttpMethod.Put, $"/sessions/{harness.Session.Id}/paths/{added.Path}/backup", "{\"backup\": false}", cancellationToken);
        var after = await harness.SessionReportAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(added, Is.EqualTo(new PathAddReply(harness.Session.Id, 1, $"127.0.0.1@{listener},backup")));
            Assert.That(withBackup.Subflows.Single(s => s.PathId == 1).Backup, Is.True);
            Assert.That(withBackup.Paths.Single(p => p.Id == 1), Is.EqualTo(new PathReport(1, listener.ToString(), "127.0.0.1", Backup: true, Removed: false)));
            Assert.That(regular.Backup, Is.False);
            Assert.That(after.Paths.Single(p => p.Id == 1).Backup, Is.False);
            Assert.That(after.Subflows.Single(s => s.PathId == 1).Backup, Is.False);
        });
    }

    [TestCase("{\"remote\": \"nowhere\"}", "\"remote\": 'nowhere' is not HOST:PORT")]
    [TestCase("{\"remote\": \"127.0.0.1:0\"}", "\"remote\": '0' is not a port (1 to 65535)")]
    [TestCase("{\"remote\": \"bad host!:80\"}", "\"remote\": 'bad host!' is neither an IP address nor a host name")]
    [TestCase("{\"remote\": \"127.0.0.1:80\", \"local\": \"eth0\"}", "\"local\": 'eth0' is not a local IP address (or IP:PORT)")]
    [TestCase("{\"remote\": \"127.0.0.1:80\", \"backup\": \"yes\"}", "\"backup\" must be true or false, not a string")]
    [CancelAfter(30_000)]
    public async Task A_wrong_path_gets_400(string body, string reason, CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(1, "minRtt", cancellationToken);

        var error = await harness.ExpectErrorAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"/sessions/{harness.Session.Id}/paths", body, cancellationToken: cancellationToken);

        Assert.That(error.Error, Is.EqualTo(reason));
        Assert.That(harness.Session.Paths, Has.Count.EqualTo(1));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_server_side_session_answers_409_to_every_path_operation(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(1, "minRtt", cancellationToken, serverSide: true);
        var session = "/sessions/" + harness.Session.Id;
        var reason = $"session {harness.Session.Id} is the server's side: only the client's side adds, removes and marks paths";

        var add = await harness.ExpectErrorAsync(HttpStatusCode.Conflict, HttpMethod.Post, session + "/paths", "{\"remote\": \"127.0.0.1:9\"}", cancellationToken: cancellationToken);
        var remove = await harness.ExpectErrorAsync(HttpStatusCode.Conflict, HttpMethod.Delete, session + "/paths/0", cancellationToken: cancellationToken);
        var backup = await harness.ExpectErrorAsync(HttpStatusCode.Conflict, HttpMethod.Put, session + "/paths/0/backup", "{\"backup\": true}", cancellationToken: cancellationToken);
        var report = await harness.SessionReportAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(add.Error, Is.EqualTo(reason));
            Assert.That(remove.Error, Is.EqualTo(reason));
            Assert.That(backup.Error, Is.EqualTo(reason));
            Assert.That(report.IsClient, Is.False);
            Assert.That(report.Paths, Is.Empty);
            Assert.That(report.Subflows, Has.Count.EqualTo(1));
        });
    }
}
