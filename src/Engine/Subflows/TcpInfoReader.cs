using System.Net.Sockets;

namespace ProgMp.Engine.Subflows;

/// <summary>
/// Reads <c>TCP_INFO</c> from a connected socket and sets <c>TCP_NOTSENT_LOWAT</c>, through raw socket
/// options because .NET has no API for either. Linux only: elsewhere every method returns false, and no
/// method throws (a closed socket is a false, not an exception), so callers can poll freely.
/// </summary>
internal static class TcpInfoReader
{
    // From Linux include/uapi/linux/in.h and tcp.h.
    private const int IpProtoTcp = 6;
    private const int TcpInfoOption = 11;
    private const int TcpNotSentLowWatermarkOption = 25;

    /// <summary>Reads the kernel's TCP state of <paramref name="socket"/> without allocating.</summary>
    public static bool TryRead(Socket socket, out TcpInfo info)
    {
        ArgumentNullException.ThrowIfNull(socket);
        info = default;
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[TcpInfo.Capacity];
        int length;
        try
        {
            length = socket.GetRawSocketOption(IpProtoTcp, TcpInfoOption, buffer);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }

        return TcpInfo.TryParse(buffer[..length], out info);
    }

    /// <summary>
    /// Sets <c>TCP_NOTSENT_LOWAT</c>: the socket reports itself writable only while fewer than
    /// <paramref name="bytes"/> written bytes are still unsent, which keeps the subflow shallow so the
    /// scheduler decides late (DESIGN.md).
    /// </summary>
    public static bool TrySetNotSentLowWatermark(Socket socket, int bytes)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        Span<byte> value = stackalloc byte[sizeof(int)];
        BitConverter.TryWriteBytes(value, bytes);
        try
        {
            socket.SetRawSocketOption(IpProtoTcp, TcpNotSentLowWatermarkOption, value);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Reads <c>TCP_NOTSENT_LOWAT</c> back (the kernel's default is unlimited, 0xFFFFFFFF, read as -1).</summary>
    public static bool TryGetNotSentLowWatermark(Socket socket, out int bytes)
    {
        ArgumentNullException.ThrowIfNull(socket);
        bytes = 0;
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        Span<byte> value = stackalloc byte[sizeof(int)];
        try
        {
            if (socket.GetRawSocketOption(IpProtoTcp, TcpNotSentLowWatermarkOption, value) != sizeof(int))
            {
                return false;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }

        bytes = BitConverter.ToInt32(value);
        return true;
    }
}
