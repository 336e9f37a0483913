using System.IO.Pipelines;
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

    /// <summary>
    /// The reader of a subflow's incoming bytes (the socket's stream, or TLS over it). The pipe's default
    /// (4 KiB reads) would take several receive calls, and as many turns of the session lock, for one
    /// 16 KiB data frame: reads of up to 128 KiB take what the kernel (or TLS) has in one go. Completing
    /// the reader leaves <paramref name="stream"/> open: the send loop may still have a CLOSE to write.
    /// </summary>
    public static PipeReader CreateReader(Stream stream) => PipeReader.Create(stream, s_readerOptions);

    private static readonly StreamPipeReaderOptions s_readerOptions = new(bufferSize: 128 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true);
}
