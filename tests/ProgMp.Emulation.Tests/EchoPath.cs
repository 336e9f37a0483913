using System.Net;
using System.Net.Sockets;
using ProgMp.Emulation;

namespace ProgMp.Emulation.Tests;

/// <summary>The usual arrangement: an echo server behind a path emulator and one client connected through it.</summary>
internal sealed class EchoPath : IAsyncDisposable
{
    private EchoPath(LoopbackServer server, PathEmulator path, Socket client)
    {
        Server = server;
        Path = path;
        Client = client;
    }

    public LoopbackServer Server { get; }

    public PathEmulator Path { get; }

    public Socket Client { get; }

    public static async Task<EchoPath> StartAsync(PathProfile? profile, CancellationToken cancellationToken)
    {
        var server = LoopbackServer.Echo();
        var path = PathEmulator.Start(new IPEndPoint(IPAddress.Loopback, 0), server.EndPoint, profile);
        try
        {
            return new EchoPath(server, path, await SocketTestKit.ConnectAsync(path.LocalEndPoint, cancellationToken));
        }
        catch
        {
            await path.DisposeAsync();
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Path.DisposeAsync();
        await Server.DisposeAsync();
    }
}
