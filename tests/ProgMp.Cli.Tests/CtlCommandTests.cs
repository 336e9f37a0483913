using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ProgMp.Cli.Tests.Support;
using ProgMp.Engine;
using ProgMp.Proxy.Control;
using ProgMp.Engine.Tests.Support;
using ProgMp.Proxy.Tests.Support;

namespace ProgMp.Cli.Tests;

/// <summary>
/// The real <c>progmp ctl</c> process against a control endpoint this test hosts over a live session
/// pair: each verb's happy path, and its failures as a one-line reason and the documented exit code.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public class CtlCommandTests
{
    private const string SteerProgram = "SCHEDULER steer;\nVAR unused = 1;\nSUBFLOWS.MAX(s => s.ID).PUSH(Q.POP());\n";

    [Test]
    [CancelAfter(60_000)]
    public async Task Health_prints_the_role_and_what_the_engine_holds(CancellationToken cancellationToken)
    {
        await using var ctl = await CtlFixture.StartAsync(cancellationToken);

        var result = await ctl.RunAsync("health");

        AssertSuccess(result, $"ok: test, 1 session, {ctl.Harness.Options.Registry.Names.Count} schedulers, default minRtt");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_refused_token_exits_1_with_one_line_and_loads_nothing(CancellationToken cancellationToken)
    {
        await using var ctl = await CtlFixture.StartAsync(cancellationToken);
        var wrong = ctl.WriteTokenFile("not-the-token");
        var program = ctl.Directory.Write("steer.progmp", SteerProgram);

        var health = await ctl.RunWithTokenFileAsync(wrong, "health");
        var load = await ctl.RunWithTokenFileAsync(wrong, "load", program);

        AssertFailure(health, 1, "the endpoint refused the token");
        AssertFailure(load, 1, "the endpoint refused the token");
        Assert.That(ctl.Harness.Options.Registry.Contains("steer"), Is.False);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_token_file_others_may_read_is_refused_before_asking(CancellationToken cancellationToken)
    {
        await using var ctl = await CtlFixture.StartAsync(cancellationToken);
        var open = ctl.WriteTokenFile(ControlHarness.Token, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var result = await ctl.RunWithTokenFileAsync(open, "health");

        AssertFailure(result, 2, $"token file '{open}' is open to group or others (mode 0604); make it private with: chmod 600 '{open}'");
    }

    [Test]
    public async Task An_unreachable_endpoint_exits_1_with_a_reason()
    {
        using var directory = new TemporaryDirectory();
        var tokenFile = CtlFixture.WriteTokenFile(directory, "whatever", UnixFileMode.UserRead);
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var result = await ProgmpProcess.RunAsync(["ctl", $"127.0.0.1:{port}", "health", "--token-file", tokenFile]);

        AssertFailure(result, 1, $"cannot reach the control endpoint at http://127.0.0.1:{port}: connection refused (is the engine running with its control endpoint there?)");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Schedulers_lists_every_loaded_program_and_marks_the_default(CancellationToken cancellationToken)
    {
        await using var ctl = await CtlFixture.StartAsync(cancellationToken);

        var result = await ctl.RunAsync("schedulers");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
        var lines = result.Output.TrimEnd().Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Does.Match("^name +default +path +warnings$"));
            Assert.That(lines.Where(l => l.StartsWith("minRtt ", StringComparison.Ordinal)).Single(), Does.Match(@"^minRtt +\* +\S*minRtt\.progmp +0$"));
            Assert.That(lines, Has.Length.EqualTo(ctl.Harness.Options.Registry.Names.Count + 2));
            Assert.That(lines[^1], Is.EqualTo("new streams run minRtt with R1..R6 = 0 0 0 0 0 0"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Load_loads_a_program_and_prints_its_warnings_as_check_does(CancellationToken cancellationToken)
    {
        await using var ctl = await CtlFixture.StartAsync(cancellationToken);
        var program = ctl.Directory.Write("steer.progmp", SteerProgram);

        var check = await ProgmpProcess.RunAsync(["check", program]);
        var first = await ctl.RunAsync("load", program);
        var second = await ctl.RunAsync("load", program);

        AssertSuccess(first, check.Output + "loaded scheduler steer");
        AssertSuccess(second, check.Output + "replaced scheduler steer: streams running it switch at their next decision");
        Assert.That(ctl.Harness.Options.Registry.TryGet("steer", out var loaded), Is.True);
        Assert.That(loaded!.Path, Is.EqualTo(program));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Load_of_a_program_with_errors_prints_them_exactly_as_check_and_exits_1(CancellationToken cancellationToken)
    {
        await using var ctl = await CtlFixture.StartAsync(cancellationToken);
        var program = ctl.Directory.Write("broken.progmp", "SCHEDULER broken;\nVAR x = ;\nSET(R9, 1);\nDROP(Q.POP());\n");

        var check = await ProgmpProcess.RunAsync(["check", program]);
        var result = await ctl.RunAsync("load", program);

        Assert.Multiple(() =>
        {
            Assert.That(check.ExitCode, Is.EqualTo(1), check.ToString);
            Assert.That(check.Output, Does.Contain(": error PMP"), check.ToString);
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString);
            Assert.That(result.Output, Is.EqualTo(check.Output), "the same lines, positions and file name as check");
            Assert.That(result.Error, Does.Match(@"^progmp: the scheduler does not compile: \d+ errors?\n$"));
            Assert.That(ctl.Harness.Options.Registry.Contains("broken"), Is.False);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Load_of_a_program_over_the_endpoint_s_limit_exits_1_with_its_reason(CancellationToken cancellationToken)
    {
        await using var ctl = await CtlFixture.StartAsync(cancellationToken);
        // Within the file size progmp reads, but every quote doubles in JSON: past the endpoint's body limit.
        var program = ctl.Directory.Write("quotes.progmp", new string('"', (int)SourceFile.MaxBytes));

        var result = await ctl.RunAsync("load", program);

        AssertFailure(result, 1, $"Request body too large. The max request body size is {ProgMp.Proxy.Control.ControlEndpoint.MaxRequestBodyBytes} bytes.");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Load_of_a_missing_file_exits_2(CancellationToken cancellationToken)
    {
        await using var ctl = await CtlFixture.StartAsync(cancellationToken);

        var result = await ctl.RunAsync("load", "/no/such/file.progmp");

        AssertFailure(result, 2, "cannot read '/no/such/file.progmp': no such file.");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Use_chooses_the_default_or_one_stream_s_scheduler(CancellationToken cancellationToken)
    {
        await using var ctl = await CtlFixture.StartAsync(cancellationToken);
        await using var stream = ctl.Harness.Pair.Client.OpenStream();
        var session = ctl.Harness.Session.Id;

        var byDefault = await ctl.RunAsync("use", "roundRobin");
        var one = await ctl.RunAsync("use", "redundant", "--stream", stream.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var every = await ctl.RunAsync("use", "minRtt", "--stream", "all", "--session", session);
        var afterEvery = stream.SchedulerName;
        var unknownStream = await ctl.RunAsync("use", "redundant", "--stream", "999");
        var unknownScheduler = await ctl.RunAsync("use", "noSuchScheduler", "--stream", "all");

        AssertSuccess(byDefault, "new streams run roundRobin");
        AssertSuccess(one, $"stream {stream.Id} of session {session} runs redundant");
        AssertSuccess(every, $"stream {stream.Id} of session {session} runs minRtt");
        AssertFailure(unknownStream, 1, $"session {session} has no open stream 999");
        AssertFailure(unknownScheduler, 1, "no scheduler named 'noSuchScheduler' is loaded");
        Assert.That(ctl.Harness.Options.DefaultScheduler, Is.EqualTo("roundRobin"));
        Assert.That(afterEvery, Is.EqualTo("minRtt"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Set_sets_a_register_for_new_streams_or_for_open_ones(CancellationToken cancellationToken)
    {
        await using var ctl = await CtlFixture.StartAsync(cancellationToken);
        await using var stream = ctl.Harness.Pair.Client.OpenStream();
        var session = ctl.Harness.Session.Id;

        var byDefault = await ctl.RunAsync("set", "R1", "5");
        var every = await ctl.RunAsync("set", "r2", "-7", "--stream", "all");
        var one = await ctl.RunAsync("set", "R6", "9223372036854775807", "--stream", stream.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        AssertSuccess(byDefault, "new streams start with R1 = 5");
        AssertSuccess(every, $"R2 = -7 on stream {stream.Id} of session {session}");
        AssertSuccess(one, $"R6 = 9223372036854775807 on stream {stream.Id} of session {session}");
        Assert.That(ctl.Harness.Options.DefaultRegisters, Is.EqualTo(new long[] { 5, 0, 0, 0, 0, 0 }));
        Assert.That(stream.GetRegister(2), Is.EqualTo(-7));
        Assert.That(stream.GetRegister(6), Is.EqualTo(long.MaxValue));
    }

    [TestCase("set", "R0", "1", "registers are R1 to R6, not 'R0'")]
    [TestCase("set", "R7", "1", "registers are R1 to R6, not 'R7'")]
    [TestCase("set", "R1", "many", "VALUE must be a 64-bit integer, not 'many'")]
    [TestCase("set", "R1", "1", "--stream", "first", "--stream must be a stream id or 'all', not 'first'")]
    [TestCase("use", "minRtt", "--session", "abc", "--session needs --stream (a stream id, or 'all')")]
    [TestCase("path", "add", "nowhere", "path 'nowhere': 'nowhere' is not HOST:PORT")]
    [TestCase("path", "add", "eth0@host:80", "path 'eth0@host:80': 'eth0' is not a local IP address (or IP:PORT)")]
    [TestCase("path", "remove", "first", "a path id is a number from 0 to 255, not 'first'")]
    [CancelAfter(60_000)]
    public async Task A_wrong_argument_exits_2_with_a_reason_and_changes_nothing(params object[] arguments)
    {
        var cancellationToken = TestContext.CurrentContext.CancellationToken;
        await using var ctl = await CtlFixture.StartAsync(cancellationToken);
        var words = arguments.Cast<string>().ToArray();

        var result = await ctl.RunAsync(words[..^1]);

        AssertFailure(result, 2, words[^1]);
        Assert.That(ctl.Harness.Options.DefaultRegisters, Is.All.Zero);
        Assert.That(ctl.Harness.Session.Paths, Has.Count.EqualTo(1));
    }

    [TestCase(new[] { "ctl" }, "Required argument missing")]
    [TestCase(new[] { "ctl", "http://127.0.0.1:1" }, "Required command was not provided")]
    [TestCase(new[] { "ctl", "http://127.0.0.1:1", "health" }, "Option '--token-file' is required")]
    [TestCase(new[] { "ctl", "http://127.0.0.1:1", "reboot", "--token-file", "t" }, "Unrecognized command or argument 'reboot'")]
    [TestCase(new[] { "ctl", "http://127.0.0.1:1", "set", "R1", "--token-file", "t" }, "Required argument missing for command: 'set'")]
    [TestCase(new[] { "ctl", "http://127.0.0.1:1", "path", "backup", "0", "maybe", "--token-file", "t" }, "Argument 'maybe' not recognized. Must be one of:")]
    [TestCase(new[] { "ctl", "health", "--token-file", "t" }, "the control endpoint's URL is missing")]
    [TestCase(new[] { "ctl", "ftp://127.0.0.1:1", "health", "--token-file", "t" }, "'ftp://127.0.0.1:1' is not a control endpoint URL")]
    [TestCase(new[] { "ctl", "http://127.0.0.1:1", "health", "--token-file", "/no/such/token" }, "token file '/no/such/token' does not exist")]
    [TestCase(new[] { "ctl", "127.0.0.1:99999", "health", "--token-file", "t" }, "'127.0.0.1:99999': port 99999 is out of range (1-65535)")]
    [TestCase(new[] { "ctl", "http://[::1]:0", "health", "--token-file", "t" }, "'http://[::1]:0': port 0 is out of range (1-65535)")]
    public async Task Wrong_arguments_exit_2(string[] arguments, string expected)
    {
        var result = await ProgmpProcess.RunAsync(arguments);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString);
            Assert.That(result.Error, Does.Contain(expected), result.ToString);
            Assert.That(result.Output + result.Error, Does.Not.Contain("   at "), result.ToString);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Stats_prints_aligned_tables_and_with_json_the_endpoint_s_answer(CancellationToken cancellationToken)
    {
        await using var ctl = await CtlFixture.StartAsync(cancellationToken, paths: 2);
        var (client, server) = await ctl.Harness.Pair.OpenStreamAsync(cancellationToken);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        await client.WriteAsync(EngineTestKit.Bytes(1_000_000, 3), cancellationToken);
        await client.WaitForAcknowledgementAsync(cancellationToken);

        var table = await ctl.RunAsync("stats");
        var json = await ctl.RunAsync("stats", "--json");
        client.CompleteWrites();
        await reader;

        TestContext.Out.WriteLine(table.Output);
        Assert.That(table.ExitCode, Is.EqualTo(0), table.ToString);
        Assert.That(json.ExitCode, Is.EqualTo(0), json.ToString);
        var lines = table.Output.TrimEnd().Split('\n');
        var report = JsonSerializer.Deserialize(json.Output, ControlJsonContext.Messages.SessionsReply)!.Sessions.Single();
        var subflowHeader = Array.FindIndex(lines, l => l.TrimStart().StartsWith("subflow", StringComparison.Ordinal));
        var streamHeader = Array.FindIndex(lines, l => l.TrimStart().StartsWith("stream", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo($"session {report.Id} (client): 2 subflows, 1 stream, {lines[0].Split(", ")[2]}"));
            Assert.That(lines[subflowHeader], Does.Match(@"^  subflow +path +state +rtt ms +cwnd +in flight +sent MB +goodput Mbit/s +lost$"));
            Assert.That(lines[subflowHeader + 1].Length, Is.EqualTo(lines[subflowHeader].Length), "rows align with the header");
            Assert.That(lines[subflowHeader + 1], Does.Match(@"^ +\d+ +\d+ +active +\d+\.\d\d +\d+ +\d+ +\d+\.\d{3} +\d+\.\d{3} +\d+$"));
            Assert.That(lines[streamHeader], Does.Match(@"^  stream +scheduler +written MB +read MB +reinjected MB +reorder wait ms$"));
            Assert.That(lines[streamHeader + 1], Does.Match($@"^ +{client.Id} +minRtt +1\.000 +0\.000 +\d+\.\d{{3}} +\d+\.\d\d$"));
            Assert.That(report.Subflows, Has.Count.EqualTo(2));
            Assert.That(report.Streams.Single().BytesAcked, Is.EqualTo(1_000_000));
            Assert.That(lines[^1], Is.EqualTo("limits reached: none"), "the bounds peers reached come last");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Path_add_backup_and_remove_manage_a_client_session_s_paths(CancellationToken cancellationToken)
    {
        await using var ctl = await CtlFixture.StartAsync(cancellationToken);
        var listener = ctl.Harness.Pair.Listener.LocalEndPoints[0];
        var session = ctl.Harness.Session.Id;

        var add = await ctl.RunAsync("path", "add", $"127.0.0.1@{listener},backup");
        await ctl.Harness.Pair.WaitForSubflowsAsync(2, cancellationToken);
        var regular = await ctl.RunAsync("path", "backup", "1", "off");
        var backup = await ctl.RunAsync("path", "backup", "1", "on", "--session", session);
        var remove = await ctl.RunAsync("path", "remove", "1");
        var again = await ctl.RunAsync("path", "remove", "1");
        var unknown = await ctl.RunAsync("path", "remove", "9");

        AssertSuccess(add, $"added path 1 (127.0.0.1@{listener},backup) to session {session}");
        AssertSuccess(regular, $"path 1 of session {session} is regular");
        AssertSuccess(backup, $"path 1 of session {session} is a backup");
        AssertSuccess(remove, $"removed path 1 of session {session}");
        AssertFailure(again, 1, $"path 1 of session {session} was removed already");
        AssertFailure(unknown, 1, $"session {session} has no path 9");
        Assert.That(ctl.Harness.Session.Paths.Single(p => p.Id == 1).Removed, Is.True);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Path_verbs_on_a_server_s_side_exit_1_with_the_endpoint_s_reason(CancellationToken cancellationToken)
    {
        await using var ctl = await CtlFixture.StartAsync(cancellationToken, serverSide: true);

        var result = await ctl.RunAsync("path", "add", "127.0.0.1:9");

        AssertFailure(result, 1, $"session {ctl.Harness.Session.Id} is the server's side: only the client's side adds, removes and marks paths");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Without_session_a_verb_that_needs_one_refuses_when_there_are_several(CancellationToken cancellationToken)
    {
        await using var ctl = await CtlFixture.StartAsync(cancellationToken);
        await using var second = await MultipathClient.ConnectAsync([new MultipathPath(ctl.Harness.Pair.Listener.LocalEndPoints[0])], ctl.Harness.Options, cancellationToken: cancellationToken);
        await using var endpoint = await ControlEndpoint.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0),
            ControlHarness.Token,
            new ControlTarget { Options = ctl.Harness.Options, Sessions = () => [ctl.Harness.Pair.Client, second] },
            new TestLoggerFactory(),
            cancellationToken);

        var result = await ProgmpProcess.RunAsync(["ctl", $"http://{endpoint.LocalEndPoint}", "path", "remove", "0", "--token-file", ctl.TokenFile]);

        AssertFailure(result, 1, $"the engine has 2 sessions ({ctl.Harness.Session.Id}, {second.Id}); choose one with --session");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Close_closes_one_session_or_the_whole_engine(CancellationToken cancellationToken)
    {
        await using var ctl = await CtlFixture.StartAsync(cancellationToken);
        var session = ctl.Harness.Session.Id;

        var unknown = await ctl.RunAsync("close", "--session", "0123456789abcdef");
        var one = await ctl.RunAsync("close", "--session", session);
        var engine = await ctl.RunAsync("close");
        await ctl.Harness.ShutdownRequested.WaitAsync(cancellationToken);

        AssertFailure(unknown, 1, "no session '0123456789abcdef'");
        Assert.That(one.ExitCode, Is.EqualTo(0), one.ToString);
        Assert.That(one.Output, Does.StartWith($"closed session {session} ("));
        AssertSuccess(engine, "the test is shutting down");
        Assert.That(ctl.Harness.Pair.Client.Completion.IsCompleted, Is.True);
    }

    private static void AssertSuccess(ProcessResult result, string output) => Assert.Multiple(() =>
    {
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString);
        Assert.That(result.Output, Is.EqualTo(output + "\n"), result.ToString);
        Assert.That(result.Error, Is.Empty, result.ToString);
    });

    private static void AssertFailure(ProcessResult result, int exitCode, string reason) => Assert.Multiple(() =>
    {
        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.ToString);
        Assert.That(result.Error, Is.EqualTo($"progmp: {reason}\n"), result.ToString);
        Assert.That(result.Output, Is.Empty, result.ToString);
    });
}
