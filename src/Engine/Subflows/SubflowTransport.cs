using System.IO.Pipelines;
using System.Net.Sockets;

namespace ProgMp.Engine.Subflows;

/// <summary>
/// The byte transport of one subflow: its <see cref="Stream"/> (TLS over the socket, or the socket's
/// own stream in plaintext) carries every frame, while the <see cref="Socket"/> stays for what only
/// the socket can do (TCP_INFO, TCP_NOTSENT_LOWAT, shutdown, reset).
/// </summary>
internal sealed class SubflowTransport
{
    public SubflowTransport(Socket socket, Stream stream, string? peerId)
    {
        Socket = socket;
        Stream = stream;
        PeerId = peerId;
        Reader = SocketTuning.CreateReader(stream);
    }

    public Socket Socket { get; }

    /// <summary>Frames go out through this; it outlives <see cref="Reader"/> and is disposed with the socket.</summary>
    public Stream Stream { get; }

    public PipeReader Reader { get; }

    /// <summary>The public id the peer proved in the TLS handshake; null in plaintext.</summary>
    public string? PeerId { get; }

    /// <summary>Closes the transport of a connection that never became a subflow.</summary>
    public async ValueTask CloseAsync()
    {
        await Reader.CompleteAsync().ConfigureAwait(false);
        Socket.Dispose();
        await Stream.DisposeAsync().ConfigureAwait(false);
    }
}
