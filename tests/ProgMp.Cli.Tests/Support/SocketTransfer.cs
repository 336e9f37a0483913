using System.Net;
using System.Net.Sockets;
using ProgMp.Proxy.Tests;

namespace ProgMp.Cli.Tests.Support;

/// <summary>Deterministic payloads and plain TCP sending for the tests that push data through the real processes.</summary>
internal static class SocketTransfer
{
    private const int Chunk = 256 * 1024;

    /// <summary>A pseudo-random payload that the same seed makes again.</summary>
    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static async Task<Socket> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint, cancellationToken);
        return socket;
    }

    /// <summary>Sends <paramref name="data"/> and a FIN.</summary>
    public static async Task SendAllAsync(Socket socket, byte[] data, CancellationToken cancellationToken)
    {
        await Task.Yield();
        for (var offset = 0; offset < data.Length; offset += Chunk)
        {
            await socket.SendAsync(data.AsMemory(offset, Math.Min(Chunk, data.Length - offset)), SocketFlags.None, cancellationToken);
        }

        socket.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Sends <paramref name="data"/> and a FIN while reading to the end; the SHA-256 of what came back.</summary>
    public static async Task<byte[]> ExchangeAsync(Socket socket, byte[] data, CancellationToken cancellationToken)
    {
        var sending = SendAllAsync(socket, data, cancellationToken);
        var received = await SocksClient.ReceiveHashAsync(socket, cancellationToken);
        await sending;
        return received;
    }
}
