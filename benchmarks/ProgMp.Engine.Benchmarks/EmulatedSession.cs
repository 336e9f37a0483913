using System.Net;
using ProgMp.Compiler;
using ProgMp.Emulation;

namespace ProgMp.Engine.Benchmarks;

/// <summary>A client and a server session in this process, one subflow through each of a set of emulated paths, and one stream.</summary>
internal sealed class EmulatedSession : IAsyncDisposable
{
    private EmulatedSession(MultipathListener listener, List<PathEmulator> emulators, MultipathSession client, MultipathSession server, MultipathStream sender, MultipathStream receiver)
    {
        Listener = listener;
        Emulators = emulators;
        Client = client;
        Server = server;
        Sender = sender;
        Receiver = receiver;
    }

    public MultipathListener Listener { get; }

    public List<PathEmulator> Emulators { get; }

    public MultipathSession Client { get; }

    public MultipathSession Server { get; }

    /// <summary>The stream as the client opened it.</summary>
    public MultipathStream Sender { get; }

    /// <summary>The same stream as the server accepted it.</summary>
    public MultipathStream Receiver { get; }

    /// <summary>Starts the emulators and both sessions; waits until every path has an active subflow and the stream is accepted.</summary>
    public static async Task<EmulatedSession> StartAsync(IReadOnlyList<(string Name, double Mbit, double DelayMs)> paths, string scheduler, int packet, bool tls, CancellationToken cancellationToken = default)
    {
        var (serverSecurity, clientSecurity) = BenchSecurity.Create(tls);
        var registry = SchedulerLibrary.CreateRegistry();
        var options = new MultipathOptions { Registry = registry, DefaultScheduler = scheduler, PacketSize = packet, Security = serverSecurity };
        var clientOptions = new MultipathOptions { Registry = registry, DefaultScheduler = scheduler, PacketSize = packet, Security = clientSecurity };
        var listener = new MultipathListener([new IPEndPoint(IPAddress.Loopback, 0)], options);
        var emulators = new List<PathEmulator>();
        MultipathSession? client = null;
        MultipathSession? server = null;
        try
        {
            listener.Start();
            emulators.AddRange(paths.Select(p => PathEmulator.Start(new IPEndPoint(IPAddress.Loopback, 0), listener.LocalEndPoints[0], new PathProfile(TimeSpan.FromMilliseconds(p.DelayMs), p.Mbit))));
            client = await MultipathClient.ConnectAsync(emulators.Select(e => new MultipathPath(e.LocalEndPoint)), clientOptions, cancellationToken: cancellationToken);
            server = await listener.AcceptSessionAsync(cancellationToken);
            while (client.GetStatistics().Subflows.Count(s => s.State == SubflowState.Active) < paths.Count)
            {
                await Task.Delay(10, cancellationToken);
            }

            var sender = client.OpenStream();
            var receiver = await server.AcceptStreamAsync(cancellationToken);
            return new EmulatedSession(listener, emulators, client, server, sender, receiver);
        }
        catch
        {
            await DisposeAllAsync(client, server, listener, emulators);
            throw;
        }
    }

    public ValueTask DisposeAsync() => DisposeAllAsync(Client, Server, Listener, Emulators);

    private static async ValueTask DisposeAllAsync(MultipathSession? client, MultipathSession? server, MultipathListener listener, List<PathEmulator> emulators)
    {
        if (client is not null)
        {
            await client.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }

        await listener.DisposeAsync();
        foreach (var emulator in emulators)
        {
            await emulator.DisposeAsync();
        }
    }
}
