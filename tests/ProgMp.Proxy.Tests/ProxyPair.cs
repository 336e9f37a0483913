using System.Net;
using ProgMp.Proxy;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Proxy.Tests;

/// <summary>A remote proxy listening on two loopback ports and a local proxy with a path to each, in this process, with a SOCKS port and the given forwards.</summary>
internal sealed class ProxyPair : IAsyncDisposable
{
    private ProxyPair(RemoteProxy remote, LocalProxy local)
    {
        Remote = remote;
        Local = local;
    }

    public RemoteProxy Remote { get; }

    public LocalProxy Local { get; }

    public IPEndPoint Socks => Local.SocksEndPoint!;

    /// <summary>Starts both and waits until the session runs on both paths.</summary>
    public static async Task<ProxyPair> StartAsync(string[] allow, IReadOnlyList<(IPAddress Listen, EndPoint Destination)> forwards, CancellationToken cancellationToken, MultipathOptions? localOptions = null)
    {
        var logs = new TestLoggerFactory(Microsoft.Extensions.Logging.LogLevel.Warning);
        var remote = new RemoteProxy(
            [new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.Loopback, 0)],
            AllowList.Parse(allow),
            EngineTestKit.Options(),
            logs,
            TimeSpan.FromSeconds(5));
        remote.Start();
        var paths = remote.LocalEndPoints.Select(e => new MultipathPath(e)).ToList();
        var local = new LocalProxy(
            paths,
            new IPEndPoint(IPAddress.Loopback, 0),
            forwards.Select(f => new ForwardRule(new IPEndPoint(f.Listen, 0), f.Destination)).ToList(),
            localOptions ?? EngineTestKit.Options(),
            logs);
        local.Start();
        var pair = new ProxyPair(remote, local);
        try
        {
            var session = await local.WaitForSessionAsync(cancellationToken);
            while (session.GetStatistics().Subflows.Count(s => s.State == SubflowState.Active) < 2)
            {
                await Task.Delay(10, cancellationToken);
            }
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }

        return pair;
    }

    public async ValueTask DisposeAsync()
    {
        await Local.DisposeAsync();
        await Remote.DisposeAsync();
    }
}
