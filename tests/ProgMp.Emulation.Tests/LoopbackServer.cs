using System.Net;
using System.Net.Sockets;

namespace ProgMp.Emulation.Tests;

/// <summary>
/// A TCP server on 127.0.0.1, port 0, that runs a handler for each accepted connection; disposing it
/// closes the listener and every accepted socket and waits for the handlers.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<Socket, CancellationToken, Task> _handler;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _handlers = [];
    private readonly Task _accepting;
    private int _accepted;

    private LoopbackServer(Func<Socket, CancellationToken, Task> handler, int? receiveBufferBytes)
    {
        _handler = handler;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBufferBytes is { } bytes)
        {
            _listener.ReceiveBufferSize = bytes;
        }

        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    public static LoopbackServer Start(Func<Socket, CancellationToken, Task> handler, int? receiveBufferBytes = null) => new(handler, receiveBufferBytes);

    /// <summary>Echoes every byte back; half-closes when the client does.</summary>
    public static LoopbackServer Echo() => Start(EchoAsync);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        Task[] handlers;
        lock (_gate)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }

            handlers = [.. _handlers];
        }

        try
        {
            await Task.WhenAll(handlers);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Handlers end by their socket closing under them.
        }

        _stopping.Dispose();
    }

    private static async Task EchoAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var count = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (count == 0)
            {
                socket.Shutdown(SocketShutdown.Send);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, count), SocketFlags.None, cancellationToken);
        }
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            socket.NoDelay = true;
            lock (_gate)
            {
                _sockets.Add(socket);
                _handlers.Add(_handler(socket, _stopping.Token));
            }
        }
    }
}
