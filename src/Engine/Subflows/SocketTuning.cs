using System.Net.Sockets;

namespace ProgMp.Engine.Subflows;

/// <summary>Socket options every subflow gets, so its socket stays shallow and its frames go out at once.</summary>
internal static class SocketTuning
{
    private const int IpProtoTcp = 6;
    private const int TcpNotSentLowat = 25;

    public static void ConfigureSubflow(Socket socket, int notSentLowWatermark)
    {
        socket.NoDelay = true;
        if (OperatingSystem.IsLinux())
        {
            // Unsent bytes the kernel holds: beyond this a send waits, so the scheduler decides late
            // and its choice matters; a deep socket buffer would turn every scheduler into FIFO.
            Span<byte> value = stackalloc byte[sizeof(int)];
            BitConverter.TryWriteBytes(value, notSentLowWatermark);
            try
            {
                socket.SetRawSocketOption(IpProtoTcp, TcpNotSentLowat, value);
            }
            catch (SocketException)
            {
                // An old kernel without the option: the subflow queue still bounds what waits.
            }
        }
    }
}
