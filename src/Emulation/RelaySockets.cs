using System.Net.Sockets;

namespace ProgMp.Emulation;

/// <summary>How the relay makes and breaks its sockets.</summary>
internal static class RelaySockets
{
    /// <summary>
    /// Kernel buffer size for every relay socket. Small on purpose: bytes parked in a large kernel buffer
    /// would be a second, hidden queue in front of (or behind) the emulated one, so the sender would meet
    /// Linux's autotuned megabytes instead of the bottleneck queue the profile describes.
    /// </summary>
    public const int SocketBufferBytes = 64 * 1024;

    /// <summary>A TCP socket with the relay's small buffers and no Nagle delay (which would add latency the profile does not ask for).</summary>
    public static Socket CreateStream(AddressFamily family)
    {
        var socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Set before listen or connect: the window scale is negotiated from the buffer at the handshake.
            socket.ReceiveBufferSize = SocketBufferBytes;
            socket.SendBufferSize = SocketBufferBytes;
            socket.NoDelay = true;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Closes <paramref name="socket"/> with an RST (linger 0), as a reset path does.</summary>
    public static void Reset(Socket socket) => SocketClose.Reset(socket);
}
