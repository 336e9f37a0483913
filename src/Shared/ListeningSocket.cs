using System.Net;
using System.Net.Sockets;

namespace ProgMp.Shared;

/// <summary>The TCP listening sockets of the listener and the local proxy: one way to bind them.</summary>
internal static class ListeningSocket
{
    /// <summary>Binds <paramref name="endpoint"/> (port 0 for any) and listens; the socket is closed again if either fails.</summary>
    public static Socket Open(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // A restarted proxy must not wait for the old connections' TIME_WAIT to bind its port again.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(512);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
