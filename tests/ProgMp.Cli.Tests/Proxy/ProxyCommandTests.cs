using System.Net;
using System.Net.Sockets;
using ProgMp.Cli.Tests.Support;

namespace ProgMp.Cli.Tests.Proxy;

/// <summary>The proxy verbs' contract as a process: wrong arguments exit 2 with one line, a bad scheduler 1, SIGTERM stops with 0.</summary>
[Parallelizable(ParallelScope.Children)]
public class ProxyCommandTests
{
    [TestCase("remote --listen 1.2.3.4", "progmp: --listen '1.2.3.4': expected ADDRESS:PORT")]
    [TestCase("remote --listen localhost:7000", "progmp: --listen 'localhost:7000': 'localhost' is not an IP address (listen on an address, such as 127.0.0.1, 0.0.0.0 or [::])")]
    [TestCase("remote --listen 127.0.0.1:70000", "progmp: --listen '127.0.0.1:70000': port '70000' is not a number from 0 to 65535")]
    [TestCase("remote --listen ::1:7000", "progmp: --listen '::1:7000': write an IPv6 address with its port as [ADDRESS]:PORT")]
    [TestCase("remote --listen 127.0.0.1:0 --allow 10.0.0.0/33", "progmp: --allow '10.0.0.0/33': prefix length '33' must be a number from 0 to 32 for IPv4")]
    [TestCase("remote --listen 127.0.0.1:0 --allow example.com:http", "progmp: --allow 'example.com:http': port 'http' is not a number from 1 to 65535")]
    [TestCase("local --path 127.0.0.1:7000", "progmp: nothing to listen on: give --socks ADDRESS:PORT, --forward ADDRESS:PORT=DESTHOST:DESTPORT, or both")]
    [TestCase("local --path 127.0.0.1 --socks 127.0.0.1:0", "progmp: --path '127.0.0.1': expected HOST:PORT")]
    [TestCase("local --path 127.0.0.1:0 --socks 127.0.0.1:0", "progmp: --path '127.0.0.1:0': port '0' is not a number from 1 to 65535")]
    [TestCase("local --path 127.0.0.1:7000,fast --socks 127.0.0.1:0", "progmp: --path '127.0.0.1:7000,fast': unknown flag 'fast' (the only one is 'backup')")]
    [TestCase("local --path eth0@127.0.0.1:7000 --socks 127.0.0.1:0", "progmp: --path 'eth0@127.0.0.1:7000': the local address 'eth0' is not an IP address")]
    [TestCase("local --path ::1@127.0.0.1:7000 --socks 127.0.0.1:0", "progmp: --path '::1@127.0.0.1:7000': the local address and the remote proxy's are not of the same IP version")]
    [TestCase("local --path 127.0.0.1:7000 --socks 1080", "progmp: --socks '1080': expected ADDRESS:PORT")]
    [TestCase("local --path 127.0.0.1:7000 --forward 127.0.0.1:6000", "progmp: --forward '127.0.0.1:6000': expected LISTENADDRESS:PORT=DESTHOST:DESTPORT")]
    [TestCase("local --path 127.0.0.1:7000 --forward 127.0.0.1:6000=host:0", "progmp: --forward '127.0.0.1:6000=host:0': port '0' is not a number from 1 to 65535")]
    [TestCase("local --path 127.0.0.1:7000 --forward 127.0.0.1:6000=bad..name:80", "progmp: --forward '127.0.0.1:6000=bad..name:80': 'bad..name:80' cannot be a destination: A host name is 1 to 255 bytes of dot-separated labels of 1 to 63 letters, digits, '-' or '_'.")]
    [TestCase("local --path 127.0.0.1:7000 --socks 127.0.0.1:0 --insecure-plaintext --default-scheduler nope", "progmp: --default-scheduler 'nope': no scheduler of that name is loaded (loaded: blest, cheapFirst, ecf, minOwd, minRtt, ")]
    [TestCase("local --path 127.0.0.1:7000 --socks 127.0.0.1:0 --log-level loud", "progmp: --log-level 'loud': expected one of trace, debug, information, warning, error, critical, none")]
    [TestCase("remote --listen 127.0.0.1:0", "progmp: the remote proxy needs --key FILE and --authorized-clients FILE (make them with 'progmp key create'), or --insecure-plaintext to run unencrypted on loopback")]
    [TestCase("remote --listen 0.0.0.0:0", "progmp: without credentials the remote proxy listens on loopback only, not on 0.0.0.0:0: give --key FILE and --authorized-clients FILE")]
    [TestCase("remote --listen 127.0.0.1:0 --listen 10.0.0.1:7000 --insecure-plaintext", "progmp: without credentials the remote proxy listens on loopback only, not on 10.0.0.1:7000: give --key FILE and --authorized-clients FILE")]
    [TestCase("remote --listen 127.0.0.1:0 --key remote.key", "progmp: --key needs --authorized-clients FILE: the clients the remote proxy admits")]
    [TestCase("remote --listen 127.0.0.1:0 --insecure-plaintext --key remote.key", "progmp: --insecure-plaintext cannot be combined with --key or --authorized-clients")]
    [TestCase("remote --listen 127.0.0.1:0 --key /nonexistent/remote.key --authorized-clients /nonexistent/clients", "progmp: key file '/nonexistent/remote.key' does not exist")]
    [TestCase("local --path 127.0.0.1:7000 --socks 127.0.0.1:0", "progmp: the local proxy needs --key FILE and --remote-id ID, the remote proxy's public id")]
    [TestCase("local --path 127.0.0.1:7000 --socks 127.0.0.1:0 --key local.key", "progmp: --key needs --remote-id ID: the public id of the remote proxy")]
    [TestCase("local --path 127.0.0.1:7000 --socks 127.0.0.1:0 --key local.key --remote-id pmp-x", "progmp: --remote-id: 'pmp-x' is not a public id ('pmp-' and 43 base64url characters)")]
    [TestCase("local --path 127.0.0.1:7000 --socks 127.0.0.1:0 --insecure-plaintext --remote-id pmp-x", "progmp: --insecure-plaintext cannot be combined with --key or --remote-id")]
    public async Task Wrong_arguments_exit_2_with_a_one_line_reason(string arguments, string expected)
    {
        var result = await ProgmpProcess.RunAsync(["proxy", .. arguments.Split(' ')]);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString);
            Assert.That(result.Error.Split('\n')[0], Does.StartWith(expected), result.ToString);
            Assert.That(result.Output, Is.Empty, result.ToString);
        });
    }

    [Test]
    public async Task A_scheduler_with_errors_prints_its_diagnostics_and_exits_1()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Write("bad.progmp", "SCHEDULER bad;\nSET(R9, 1);\n");
        var result = await ProgmpProcess.RunAsync(["proxy", "remote", "--listen", "127.0.0.1:0", "--insecure-plaintext", "--scheduler", file]);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString);
            Assert.That(result.Error, Does.Contain($"{file}(2,5): error PMP0101: "), result.ToString);
            Assert.That(result.Output, Is.Empty, result.ToString);
        });
    }

    [Test]
    public async Task An_address_in_use_exits_1()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var result = await ProgmpProcess.RunAsync(["proxy", "local", "--path", "127.0.0.1:7000", "--insecure-plaintext", "--socks", taken.LocalEndPoint!.ToString()!]);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString);
            Assert.That(result.Error, Does.StartWith($"progmp: cannot listen on {taken.LocalEndPoint}: "), result.ToString);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Both_proxies_name_their_control_endpoint_in_the_ready_line_and_answer_ctl_there(CancellationToken cancellationToken)
    {
        using var directory = new TemporaryDirectory();
        var token = CtlFixture.WriteTokenFile(directory, "proxy-control-token", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var keys = await ProxyKeys.CreateAsync();
        await using var remote = await RunningProgmp.StartAsync(["proxy", "remote", "--listen", "127.0.0.1:0", "--control", "127.0.0.1:0", "--token-file", token, .. keys.Remote], cancellationToken);
        var endpoint = ReadyLines.ProxyEndPoints(remote.ReadyLine).Single();
        await using var local = await RunningProgmp.StartAsync(["proxy", "local", "--path", endpoint.ToString(), "--forward", "127.0.0.1:0=127.0.0.1:9", "--control", "127.0.0.1:0", "--token-file", token, .. keys.Local], cancellationToken);
        await local.WaitForLogAsync(" established (", 1, cancellationToken);

        Assert.That(remote.ReadyLine, Does.Match(@"^listening on 127\.0\.0\.1:\d+, control http://127\.0\.0\.1:\d+$"));
        Assert.That(local.ReadyLine, Does.Match(@"^listening on forward 127\.0\.0\.1:\d+=127\.0\.0\.1:9, control http://127\.0\.0\.1:\d+$"));
        var remoteHealth = await ProgmpProcess.RunAsync(["ctl", ReadyLines.ControlUrl(remote.ReadyLine)!, "health", "--token-file", token]);
        var localHealth = await ProgmpProcess.RunAsync(["ctl", ReadyLines.ControlUrl(local.ReadyLine)!, "health", "--token-file", token]);
        Assert.Multiple(() =>
        {
            Assert.That(remoteHealth.ExitCode, Is.EqualTo(0), remoteHealth.ToString);
            Assert.That(remoteHealth.Output, Does.StartWith("ok: proxy remote, 1 session, "), remoteHealth.ToString);
            Assert.That(localHealth.ExitCode, Is.EqualTo(0), localHealth.ToString);
            Assert.That(localHealth.Output, Does.StartWith("ok: proxy local, 1 session, "), localHealth.ToString);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Both_proxies_stop_on_SIGTERM_with_exit_code_0(CancellationToken cancellationToken)
    {
        using var directory = new TemporaryDirectory();
        var extra = directory.Write("mine.progmp", "SCHEDULER mine;\nSUBFLOWS.MIN(s => s.RTT).PUSH(Q.POP());\n");
        await using var remote = await RunningProgmp.StartAsync(["proxy", "remote", "--listen", "127.0.0.1:0", "--insecure-plaintext", "--scheduler", extra, "--default-scheduler", "mine"], cancellationToken);
        var endpoint = ReadyLines.ProxyEndPoints(remote.ReadyLine)[0];
        await using var local = await RunningProgmp.StartAsync(["proxy", "local", "--path", endpoint.ToString(), "--insecure-plaintext", "--forward", "127.0.0.1:0=127.0.0.1:9", "--log-level", "debug"], cancellationToken);
        await local.WaitForLogAsync(" established (", 1, cancellationToken);
        Assert.Multiple(async () =>
        {
            Assert.That(await local.StopAsync(), Is.EqualTo(0), local.ToString);
            Assert.That(await remote.StopAsync(), Is.EqualTo(0), remote.ToString);
            Assert.That(local.Error, Does.Contain("Stopping"), local.ToString);
            Assert.That(remote.Error, Does.Contain("default scheduler mine"), remote.ToString);
            Assert.That(remote.Error, Does.Contain("The listener runs WITHOUT authentication or encryption"), remote.ToString);
            Assert.That(local.Error, Does.Contain("The client runs WITHOUT authentication or encryption"), local.ToString);
        });
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Unusable_credential_files_exit_2_with_a_one_line_reason()
    {
        using var keys = await ProxyKeys.CreateAsync();
        using var directory = new TemporaryDirectory();
        var malformed = directory.Write("clients", $"{keys.LocalId} local\nnot-an-id\n");
        File.SetUnixFileMode(keys.RemoteKey, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var openKey = await ProgmpProcess.RunAsync(["proxy", "remote", "--listen", "127.0.0.1:0", .. keys.Remote]);
        File.SetUnixFileMode(keys.RemoteKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var badClients = await ProgmpProcess.RunAsync(["proxy", "remote", "--listen", "127.0.0.1:0", "--key", keys.RemoteKey, "--authorized-clients", malformed]);

        Assert.Multiple(() =>
        {
            Assert.That(openKey.ExitCode, Is.EqualTo(2), openKey.ToString);
            Assert.That(openKey.Error, Is.EqualTo($"progmp: key file '{keys.RemoteKey}' is open to group or others (mode 0640); make it private with: chmod 600 '{keys.RemoteKey}'\n"), openKey.ToString);
            Assert.That(badClients.ExitCode, Is.EqualTo(2), badClients.ToString);
            Assert.That(badClients.Error, Is.EqualTo($"progmp: {malformed}(2): 'not-an-id' is not a public id (one starts with 'pmp-'); expected PUBLIC-ID [NAME]\n"), badClients.ToString);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_local_proxy_the_remote_does_not_know_or_that_pins_another_remote_gets_no_session(CancellationToken cancellationToken)
    {
        using var keys = await ProxyKeys.CreateAsync();
        using var directory = new TemporaryDirectory();
        var stranger = Path.Combine(directory.Path, "stranger.key");
        var (strangerId, _) = await ProxyKeys.CreateKeyAsync(stranger, "stranger");
        await using var remote = await RunningProgmp.StartAsync(["proxy", "remote", "--listen", "127.0.0.1:0", .. keys.Remote], cancellationToken);
        var endpoint = ReadyLines.ProxyEndPoints(remote.ReadyLine).Single().ToString();

        await using var unknown = await RunningProgmp.StartAsync(["proxy", "local", "--path", endpoint, "--forward", "127.0.0.1:0=127.0.0.1:9", "--key", stranger, "--remote-id", keys.RemoteId], cancellationToken);
        await using var misled = await RunningProgmp.StartAsync(["proxy", "local", "--path", endpoint, "--forward", "127.0.0.1:0=127.0.0.1:9", "--key", keys.LocalKey, "--remote-id", strangerId], cancellationToken);
        await unknown.WaitForLogAsync($"AuthenticationFailed (Client {strangerId} is not authorized.)", 1, cancellationToken);
        await misled.WaitForLogAsync($"the server is {keys.RemoteId}, not the pinned {strangerId}: refused", 1, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(unknown.CountInLog(" established ("), Is.Zero, unknown.ToString);
            Assert.That(misled.CountInLog(" established ("), Is.Zero, misled.ToString);
            Assert.That(remote.CountInLog(" set up with "), Is.Zero, remote.ToString);
        });
    }
}
