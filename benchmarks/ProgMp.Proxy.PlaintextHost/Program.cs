using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using ProgMp.Cli.Proxy;
using ProgMp.Compiler;
using ProgMp.Engine;
using ProgMp.Proxy;

// ProgMp.Proxy.PlaintextHost remote --listen ADDRESS:PORT [--listen ...] [--allow RULE ...] [--log-level LEVEL]
// ProgMp.Proxy.PlaintextHost local --path [LOCALIP@]HOST:PORT [--path ...] --forward ADDRESS:PORT=DESTHOST:DESTPORT [...] [--log-level LEVEL]
//
// The proxy pair with MultipathSecurity.InsecurePlaintext on any address: unauthenticated and
// unencrypted, for the namespace benchmark (see the project file). Like 'progmp proxy', it prints
// "listening on ..." when ready, logs on standard error, and stops cleanly on SIGINT or SIGTERM (exit 0);
// a wrong argument is one line and exit 2, an address in use exit 1.
const int ExitOk = 0;
const int ExitCannotStart = 1;
const int ExitUsage = 2;

if (args.Length == 0 || args[0] is not ("local" or "remote"))
{
    return Usage("expected 'local' or 'remote' first");
}

var values = new Dictionary<string, List<string>>(StringComparer.Ordinal)
{
    ["--listen"] = [],
    ["--allow"] = [],
    ["--path"] = [],
    ["--forward"] = [],
    ["--log-level"] = [],
};
for (var i = 1; i < args.Length; i++)
{
    if (!values.TryGetValue(args[i], out var list) || i + 1 == args.Length)
    {
        return Usage($"'{args[i]}': expected one of {string.Join(", ", values.Keys)}, each followed by its value");
    }

    list.Add(args[++i]);
}

var level = LogLevel.Information;
if (values["--log-level"].Count > 0 && !Enum.TryParse(values["--log-level"][^1], ignoreCase: true, out level))
{
    return Usage($"--log-level '{values["--log-level"][^1]}': expected trace, debug, information, warning, error, critical or none");
}

// As 'progmp proxy' logs: one line a message, all of it on standard error.
using var logs = LoggerFactory.Create(builder => builder
    .SetMinimumLevel(level)
    .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace)
    .AddSimpleConsole(options =>
    {
        options.SingleLine = true;
        options.TimestampFormat = "HH:mm:ss.fff ";
    }));
var options = new MultipathOptions
{
    Registry = SchedulerLibrary.CreateRegistry(),
    Security = MultipathSecurity.InsecurePlaintext,
};

using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
Console.Error.WriteLine("plaintext proxy host: no authentication, no encryption; for a benchmark's test bed only");
return args[0] == "remote" ? await RunRemoteAsync() : await RunLocalAsync();

async Task<int> RunRemoteAsync()
{
    var listen = new List<IPEndPoint>();
    foreach (var text in values["--listen"])
    {
        if (!ProxyArguments.TryParseListen("--listen", text, out var endpoint, out var problem))
        {
            return Usage(problem);
        }

        listen.Add(endpoint);
    }

    if (listen.Count == 0)
    {
        return Usage("remote needs --listen ADDRESS:PORT");
    }

    if (!AllowList.TryParse(values["--allow"], out var allow, out var allowProblem))
    {
        return Usage("--allow " + allowProblem);
    }

    await using var proxy = new RemoteProxy(listen, allow, options, logs);
    if (!TryStart(proxy.Start))
    {
        return ExitCannotStart;
    }

    return await ServeAsync(string.Join(", ", proxy.LocalEndPoints));
}

async Task<int> RunLocalAsync()
{
    var paths = new List<MultipathPath>();
    foreach (var text in values["--path"])
    {
        if (!ProxyArguments.TryParsePath(text, out var path, out var problem))
        {
            return Usage(problem);
        }

        paths.Add(path);
    }

    var forwards = new List<ForwardRule>();
    foreach (var text in values["--forward"])
    {
        if (!ProxyArguments.TryParseForward(text, out var rule, out var problem))
        {
            return Usage(problem);
        }

        forwards.Add(rule);
    }

    if (paths.Count is 0 or > LocalProxy.MaxPaths || forwards.Count == 0)
    {
        return Usage($"local needs 1 to {LocalProxy.MaxPaths} --path options and at least one --forward");
    }

    await using var proxy = new LocalProxy(paths, socks: null, forwards, options, logs);
    if (!TryStart(proxy.Start))
    {
        return ExitCannotStart;
    }

    return await ServeAsync(string.Join(", ", proxy.Forwards.Select(f => "forward " + f)));
}

bool TryStart(Action start)
{
    try
    {
        start();
        return true;
    }
    catch (System.Net.Sockets.SocketException e)
    {
        Console.Error.WriteLine($"plaintext proxy host: cannot listen: {e.Message}");
        return false;
    }
}

async Task<int> ServeAsync(string listening)
{
    Console.WriteLine("listening on " + listening);
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        // A signal: the way to stop; the proxy is disposed on the way out.
    }

    return ExitOk;
}

void OnSignal(PosixSignalContext context)
{
    // Keep the process alive until the proxy is disposed, as 'progmp proxy' does.
    context.Cancel = true;
    stop.Cancel();
}

static int Usage(string problem)
{
    Console.Error.WriteLine("plaintext proxy host: " + problem);
    return ExitUsage;
}
