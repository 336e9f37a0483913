using System.Net;
using System.Net.Sockets;

namespace ProgMp.Cli.Tests.Support;

/// <summary>A TCP echo server on 127.0.0.1 (port 0) for tests that relay through a real <c>progmp</c>.</summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(TcpClient Client, Task Echo)> _connections = [];
    private readonly Task _accepting;

    public EchoServer()
    {
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint { get; }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        foreach (var (client, echo) in _connections)
        {
            client.Dispose();
            await echo.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            _connections.Add((client, EchoAsync(client.GetStream(), _stopping.Token)));
        }
    }

    private static async Task EchoAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        int count;
        while ((count = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, count), cancellationToken);
        }

        stream.Socket.Shutdown(SocketShutdown.Send);
    }
}
