using System.Net;

namespace ProgMp.Engine.Tests.Support;

/// <summary>A listener, a client session with some paths to it, and the server's side of that session, all on loopback.</summary>
internal sealed class SessionPair : IAsyncDisposable
{
    private SessionPair(MultipathListener listener, MultipathSession client, MultipathSession server)
    {
        Listener = listener;
        Client = client;
        Server = server;
    }

    public MultipathListener Listener { get; }

    public MultipathSession Client { get; }

    public MultipathSession Server { get; }

    /// <summary>A session with <paramref name="paths"/> subflows straight to the listener, every one established.</summary>
    public static async Task<SessionPair> StartAsync(int paths, MultipathOptions options, CancellationToken cancellationToken)
    {
        var listener = EngineTestKit.StartListener(options);
        var endpoint = listener.LocalEndPoints[0];
        return await StartAsync(listener, Enumerable.Range(0, paths).Select(_ => new MultipathPath(endpoint)).ToList(), options, cancellationToken);
    }

    public static async Task<SessionPair> StartAsync(MultipathListener listener, IReadOnlyList<MultipathPath> paths, MultipathOptions options, CancellationToken cancellationToken)
    {
        var client = await MultipathClient.ConnectAsync(paths, options, new TestLoggerFactory(), cancellationToken);
        var server = await listener.AcceptSessionAsync(cancellationToken);
        var pair = new SessionPair(listener, client, server);
        await pair.WaitForSubflowsAsync(paths.Count, cancellationToken);
        return pair;
    }

    /// <summary>Until both sides have <paramref name="count"/> active subflows.</summary>
    public async Task WaitForSubflowsAsync(int count, CancellationToken cancellationToken)
    {
        while (ActiveSubflows(Client) < count || ActiveSubflows(Server) < count)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    public static int ActiveSubflows(MultipathSession session) => session.GetStatistics().Subflows.Count(s => s.State == SubflowState.Active);

    /// <summary>Bytes each of the client's subflows has sent so far, by subflow id.</summary>
    public Dictionary<long, long> ClientBytesSent() => Client.GetStatistics().Subflows.ToDictionary(s => s.Id, s => s.BytesSent);

    /// <summary>A client stream and the server's side of it.</summary>
    public async Task<(MultipathStream Client, MultipathStream Server)> OpenStreamAsync(CancellationToken cancellationToken)
    {
        var client = Client.OpenStream();
        var server = await Server.AcceptStreamAsync(cancellationToken);
        return (client, server);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        await Listener.DisposeAsync();
    }

    public static IPEndPoint Loopback(int port) => new(IPAddress.Loopback, port);
}
