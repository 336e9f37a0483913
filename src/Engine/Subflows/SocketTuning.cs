using System.Net.Sockets;

namespace ProgMp.Engine.Subflows;

/// <summary>Socket options every subflow gets, so its socket stays shallow and its frames go out at once.</summary>
internal static class SocketTuning
{
    public static void ConfigureSubflow(Socket socket, int notSentLowWatermark)
    {
        socket.NoDelay = true;

        // Unsent bytes the kernel holds: beyond this a send waits, so the scheduler decides late and its
        // choice matters; a deep socket buffer would turn every scheduler into FIFO. An old kernel without
        // the option still has the subflow queue to bound what waits.
        TcpInfoReader.TrySetNotSentLowWatermark(socket, notSentLowWatermark);
    }
}
