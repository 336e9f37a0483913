using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ProgMp.Cli.Tests.Support;
using ProgMp.Proxy.Control;
using ProgMp.Proxy.Tests;

namespace ProgMp.Cli.Tests.Proxy;

/// <summary>
/// <c>progmp ctl trace</c> against a real proxy pair (two processes, two paths, a forward port to a
/// sink): on for the one stream there is, its decisions printed as a table and as JSON while data
/// flows, off again, and its refusals.
/// </summary>
public class ProxyTraceProcessTests
{
    private const int Transfer = 512 * 1024;

    [Test]
    [CancelAfter(120_000)]
    public async Task Ctl_trace_turns_on_shows_and_turns_off_the_decision_trace_of_a_proxied_connection(CancellationToken cancellationToken)
    {
        using var directory = new TemporaryDirectory();
        var token = CtlFixture.WriteTokenFile(directory, "trace-" + Guid.NewGuid().ToString("N"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var received = new StrongBox<long>();
        await using var sink = new LegacyServer(IPAddress.Loopback, async (socket, ct) =>
        {
            var buffer = new byte[64 * 1024];
            int count;
            while ((count = await socket.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
            {
                Interlocked.Add(ref received.Value, count);
            }
        });
        using var keys = await ProxyKeys.CreateAsync();
        await using var remote = await RunningProgmp.StartAsync(["proxy", "remote", "--listen", "127.0.0.1:0", "--listen", "127.0.0.1:0", .. keys.Remote], cancellationToken);
        var paths = ReadyLines.ProxyEndPoints(remote.ReadyLine);
        await using var local = await RunningProgmp.StartAsync(
            ["proxy", "local", "--path", paths[0].ToString(), "--path", paths[1].ToString(), "--forward", $"127.0.0.1:0={sink.EndPoint}", "--control", "127.0.0.1:0", "--token-file", token, .. keys.Local],
            cancellationToken);
        var forward = ReadyLines.ProxyEndPoints(local.ReadyLine).Single();
        var control = ReadyLines.ControlUrl(local.ReadyLine) ?? throw new AssertionException("no control endpoint in: " + local.ReadyLine);
        await local.WaitForLogAsync(" established (", 2, cancellationToken);
        Task<ProcessResult> Ctl(params string[] arguments) => ProgmpProcess.RunAsync(["ctl", control, "trace", .. arguments, "--token-file", token]);

        using var client = await SocketTransfer.ConnectAsync(forward, cancellationToken);
        var (session, stream, subflows) = await WaitForOneStreamAsync(control, token, cancellationToken);
        var on = await Ctl("on", "--capacity", "64");
        await SendAsync(client, received, 1, cancellationToken);
        var table = await Ctl("show", "--last", "5");
        var json = await Ctl("show", "--json", "--last", "2", "--stream", Invariant(stream), "--session", session);
        var off = await Ctl("off");
        var atOff = JsonSerializer.Deserialize((await Ctl("show", "--json", "--last", "64")).Output, ControlJsonContext.Messages.TraceReply)!.Trace;
        await SendAsync(client, received, 2, cancellationToken);
        var stopped = await Ctl("show", "--last", "1");
        var unknown = await Ctl("show", "--stream", "999");
        var all = await Ctl("show", "--stream", "all");
        var allOn = await Ctl("on", "--stream", "all");
        var tooMany = await Ctl("on", "--capacity", "5000");

        TestContext.Out.WriteLine(table.Output);
        var lines = table.Output.TrimEnd('\n').Split('\n');
        var reply = JsonSerializer.Deserialize(json.Output, ControlJsonContext.Messages.TraceReply)!;
        Assert.Multiple(() =>
        {
            Assert.That(on.Output, Is.EqualTo($"decision trace on for stream {stream} of session {session}, keeping the last 64 decisions\n"), on.ToString);
            Assert.That(table.ExitCode, Is.EqualTo(0), table.ToString);
            Assert.That(lines[0], Does.Match($@"^stream {stream} of session {session}, recording: \d+ decisions recorded, the last 64 kept, 5 shown$"), table.ToString);
            Assert.That(lines[1], Does.Match(@"^time +invocation +scheduler +why +Q/QU/RQ +subflows \(id: rtt in flight\+queued/cwnd\) +did$"), table.ToString);
            Assert.That(lines[2..], Has.Length.EqualTo(5), table.ToString);
            Assert.That(lines[2..], Has.All.Match(@"^\d\d:\d\d:\d\d\.\d{3} +\d+ +minRtt +(turn|again: pushed|again: state) +\d+/\d+/\d+ +(none|\d+: \d+\.\d\dms \d+\+\d+/\d+.*) +(nothing|POP|PUSH|DROP|SET)"), table.ToString);
            Assert.That(atOff.Decisions.SelectMany(d => d.Actions).Where(a => a.Kind == Engine.TracedActionKind.Push).Select(a => a.SubflowId!.Value).Distinct(), Is.Not.Empty.And.SubsetOf(subflows), "the data went out in PUSHes to the session's subflows");
            Assert.That(json.ExitCode, Is.EqualTo(0), json.ToString);
            Assert.That((reply.Session, reply.Stream, reply.Trace.Capacity, reply.Trace.Decisions.Count), Is.EqualTo((session, stream, 64, 2)), json.ToString);
            Assert.That(off.Output, Is.EqualTo($"decision trace off for stream {stream} of session {session}\n"), off.ToString);
            Assert.That(stopped.Output, Does.StartWith($"stream {stream} of session {session}, stopped: {atOff.Recorded} decisions recorded"), "nothing recorded after off, while more data went through");
            AssertFailure(unknown, 1, $"session {session} has no open stream 999");
            AssertFailure(all, 2, "trace show takes one stream: --stream must be a stream id");
            AssertFailure(allOn, 2, "trace on takes one stream: --stream must be a stream id");
            AssertFailure(tooMany, 2, "--capacity must be from 1 to 4096 decisions, not 5000");
        });
    }

    /// <summary>Sends a part of the transfer and waits until the sink has it all.</summary>
    private static async Task SendAsync(Socket client, StrongBox<long> received, int part, CancellationToken cancellationToken)
    {
        await client.SendAsync(SocketTransfer.Random(Transfer, part), SocketFlags.None, cancellationToken);
        while (Volatile.Read(ref received.Value) < (long)part * Transfer)
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>The session and the stream the proxy opened for the connection, once <c>ctl stats</c> shows them, and the session's subflows.</summary>
    private static async Task<(string Session, uint Stream, long[] Subflows)> WaitForOneStreamAsync(string control, string token, CancellationToken cancellationToken)
    {
        while (true)
        {
            var stats = await ProgmpProcess.RunAsync(["ctl", control, "stats", "--json", "--token-file", token]);
            Assert.That(stats.ExitCode, Is.EqualTo(0), stats.ToString);
            var session = JsonSerializer.Deserialize(stats.Output, ControlJsonContext.Messages.SessionsReply)!.Sessions.Single();
            if (session.Streams.Count == 1)
            {
                return (session.Id, session.Streams[0].Id, session.Subflows.Select(s => s.Id).ToArray());
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static void AssertFailure(ProcessResult result, int exitCode, string reason)
    {
        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.ToString);
        Assert.That(result.Error, Is.EqualTo($"progmp: {reason}\n"), result.ToString);
    }

    private static string Invariant(uint value) => value.ToString(CultureInfo.InvariantCulture);
}
