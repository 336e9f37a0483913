using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace ProgMp.Emulation.Tests;

/// <summary>Small socket chores the emulator tests share.</summary>
internal static class SocketTestKit
{
    public static async Task<Socket> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken, int? sendBufferBytes = null)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (sendBufferBytes is { } bytes)
        {
            socket.SendBufferSize = bytes;
        }

        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Sends all of <paramref name="data"/> in pieces, then (optionally) half-closes.</summary>
    public static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken, bool shutdown = true, int piece = 32 * 1024)
    {
        for (var offset = 0; offset < data.Length; offset += piece)
        {
            await socket.SendAsync(data.Slice(offset, Math.Min(piece, data.Length - offset)), SocketFlags.None, cancellationToken);
        }

        if (shutdown)
        {
            socket.Shutdown(SocketShutdown.Send);
        }
    }

    /// <summary>Reads until the peer half-closes; returns the byte count and their SHA-256.</summary>
    public static async Task<(long Count, byte[] Hash)> ReceiveToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        while (true)
        {
            var count = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (count == 0)
            {
                return (total, hash.GetHashAndReset());
            }

            hash.AppendData(buffer, 0, count);
            total += count;
        }
    }

    public static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        var received = 0;
        while (received < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                throw new EndOfStreamException($"The peer closed after {received} of {count} bytes.");
            }

            received += n;
        }

        return buffer;
    }

    /// <summary>One byte out and back through an echo server; the time it took.</summary>
    public static async Task<TimeSpan> RoundTripAsync(Socket socket, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        await socket.SendAsync(new byte[] { 42 }, SocketFlags.None, cancellationToken);
        var echoed = await ReceiveExactlyAsync(socket, 1, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(start);
        Assert.That(echoed[0], Is.EqualTo(42));
        return elapsed;
    }

    public static async Task<List<TimeSpan>> RoundTripsAsync(Socket socket, int count, CancellationToken cancellationToken)
    {
        var times = new List<TimeSpan>(count);
        for (var i = 0; i < count; i++)
        {
            times.Add(await RoundTripAsync(socket, cancellationToken));
        }

        return times;
    }

    /// <summary>
    /// What a read sees on a connection that should have been reset: "reset" for the RST error, "closed"
    /// for a 0-byte read (the RST can arrive as an orderly end when nothing was pending), or the bytes.
    /// </summary>
    public static async Task<string> ReadAfterResetAsync(Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            var buffer = new byte[16];
            var count = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            return count == 0 ? "closed" : $"{count} bytes";
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return "reset";
        }
    }

    /// <summary>
    /// Connects to a path that should refuse the connection: "reset" when the connect itself or the first
    /// read sees the RST, "closed" for a 0-byte read, "refused" when nothing listens.
    /// </summary>
    public static async Task<string> ConnectExpectingResetAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        Socket socket;
        try
        {
            socket = await ConnectAsync(endPoint, cancellationToken);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return "reset";
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused)
        {
            return "refused";
        }

        using (socket)
        {
            return await ReadAfterResetAsync(socket, cancellationToken);
        }
    }
}
