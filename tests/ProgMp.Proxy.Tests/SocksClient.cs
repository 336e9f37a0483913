using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace ProgMp.Proxy.Tests;

/// <summary>A minimal SOCKS5 client (no authentication, CONNECT) for driving the local proxy as curl would.</summary>
internal static class SocksClient
{
    /// <summary>Connects through the proxy; the reply code and, on success (0), the socket ready for data.</summary>
    public static async Task<(byte Reply, Socket? Socket)> ConnectAsync(IPEndPoint proxy, EndPoint destination, CancellationToken cancellationToken)
    {
        var socket = new Socket(proxy.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(proxy, cancellationToken);
            await socket.SendAsync(new byte[] { 5, 1, 0 }, SocketFlags.None, cancellationToken);
            var method = await ReceiveAsync(socket, 2, cancellationToken);
            if (method[0] != 5 || method[1] != 0)
            {
                throw new IOException($"The proxy chose method {method[1]:x2}.");
            }

            await socket.SendAsync(Request(destination), SocketFlags.None, cancellationToken);
            var reply = await ReadReplyAsync(socket, cancellationToken);
            if (reply != 0)
            {
                socket.Dispose();
                return (reply, null);
            }

            return (0, socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A CONNECT request for <paramref name="destination"/>, with the address type that fits it.</summary>
    public static byte[] Request(EndPoint destination, byte command = 1)
    {
        var bytes = new List<byte> { 5, command, 0 };
        int port;
        switch (destination)
        {
            case IPEndPoint ip:
                bytes.Add(ip.AddressFamily == AddressFamily.InterNetwork ? (byte)1 : (byte)4);
                bytes.AddRange(ip.Address.GetAddressBytes());
                port = ip.Port;
                break;
            case DnsEndPoint dns:
                bytes.Add(3);
                bytes.Add((byte)dns.Host.Length);
                bytes.AddRange(Encoding.ASCII.GetBytes(dns.Host));
                port = dns.Port;
                break;
            default:
                throw new ArgumentException("An IP or DNS endpoint.", nameof(destination));
        }

        var portBytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(portBytes, (ushort)port);
        bytes.AddRange(portBytes);
        return bytes.ToArray();
    }

    /// <summary>Reads a whole CONNECT reply and returns its code.</summary>
    public static async Task<byte> ReadReplyAsync(Socket socket, CancellationToken cancellationToken)
    {
        var head = await ReceiveAsync(socket, 4, cancellationToken);
        Assert.That(head[0], Is.EqualTo(5), "reply version");
        var rest = head[3] switch
        {
            1 => 4 + 2,
            4 => 16 + 2,
            3 => (await ReceiveAsync(socket, 1, cancellationToken))[0] + 2,
            _ => throw new IOException($"Reply with address type {head[3]}."),
        };
        await ReceiveAsync(socket, rest, cancellationToken);
        return head[1];
    }

    public static async Task<byte[]> ReceiveAsync(Socket socket, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                throw new EndOfStreamException($"The proxy closed after {read} of {count} bytes.");
            }

            read += n;
        }

        return buffer;
    }

    /// <summary>Everything until the peer's FIN (throws on a reset).</summary>
    public static async Task<byte[]> ReceiveToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        var result = new MemoryStream();
        await ReceiveToEndAsync(socket, (buffer, n) => result.Write(buffer, 0, n), cancellationToken);
        return result.ToArray();
    }

    /// <summary>The SHA-256 of everything until the peer's FIN, for transfers too big to keep.</summary>
    public static async Task<byte[]> ReceiveHashAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await ReceiveToEndAsync(socket, (buffer, n) => hash.AppendData(buffer, 0, n), cancellationToken);
        return hash.GetHashAndReset();
    }

    private static async Task ReceiveToEndAsync(Socket socket, Action<byte[], int> consume, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                return;
            }

            consume(buffer, n);
        }
    }
}
