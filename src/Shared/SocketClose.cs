using System.Net.Sockets;

namespace ProgMp.Shared;

/// <summary>The abortive close: for a connection refused without a word, whose peer must see at once that it was not served.</summary>
internal static class SocketClose
{
    /// <summary>Closes with linger 0, so the peer gets an RST rather than a FIN that could pass for a clean end.</summary>
    public static void Reset(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed or broken: disposing is all that is left to do.
        }

        socket.Dispose();
    }
}
