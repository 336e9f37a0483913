using System.Net;
using System.Net.Sockets;

namespace ProgMp.Proxy.Tests;

/// <summary>
/// A plain TCP server the proxies connect to, standing for the legacy server: it hands each accepted
/// socket to the test's handler and counts connections, so a test can also prove nothing connected.
/// </summary>
internal sealed class LegacyServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<Socket, CancellationToken, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _handlers = [];
    private readonly Task _acceptLoop;
    private int _accepted;

    public LegacyServer(IPAddress address, Func<Socket, CancellationToken, Task> handler)
    {
        _handler = handler;
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(address, 0));
        _listener.Listen(1024);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>A loopback port nobody listens on (bound and released at once), so connecting to it is refused.</summary>
    public static int UnusedPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>Echoes everything back and half-closes after the client's FIN.</summary>
    public static LegacyServer Echo(IPAddress address) => new(address, EchoAsync);

    public static async Task EchoAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                socket.Shutdown(SocketShutdown.Send);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, cancellationToken);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            lock (_handlers)
            {
                _handlers.Add(Task.Run(async () =>
                {
                    using (socket)
                    {
                        try
                        {
                            await _handler(socket, _stop.Token);
                        }
                        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
                        {
                            // The test decides what a failure means; the server just lets the socket go.
                        }
                    }
                }));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _acceptLoop;
        Task[] handlers;
        lock (_handlers)
        {
            handlers = _handlers.ToArray();
        }

        await Task.WhenAll(handlers);
        _stop.Dispose();
    }
}
