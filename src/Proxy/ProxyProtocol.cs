using ProgMp.Engine;

namespace ProgMp.Proxy;

/// <summary>
/// The one convention the proxy pair adds on top of a stream with a destination: once the remote
/// proxy has connected to the destination it writes a single byte, <see cref="Connected"/>, before
/// anything the destination sends; when it cannot connect it resets the stream with the reason
/// instead, and writes nothing.
/// </summary>
/// <remarks>
/// Why a byte: the engine's API lets the accepting side answer a new stream only with data, a FIN or a
/// reset, and a SOCKS server must not report success before the destination accepted the
/// connection. Without a positive signal the local proxy would have to reply success at once and turn
/// a later failure into a reset, so a client would see "connection reset" where SOCKS has "connection
/// refused" or "host unreachable"; or wait for the destination's first byte, which never comes for
/// protocols where the client speaks first (HTTP). The byte comes from the remote proxy, not the
/// destination, so it is there as soon as the connection is. The price: one byte per stream, and any
/// other program opening streams to a remote proxy must read it first.
/// </remarks>
internal static class ProxyProtocol
{
    /// <summary>The remote proxy is connected to the destination; the relay starts after this byte.</summary>
    public const byte Connected = 0x00;

    /// <summary>Writes the confirmation (remote proxy side, after connecting).</summary>
    public static ValueTask ConfirmAsync(MultipathStream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return stream.WriteAsync(new[] { Connected }, cancellationToken);
    }

    /// <summary>
    /// Reads the confirmation (local proxy side): null when the remote proxy is connected, otherwise
    /// why not: the reason of its reset, or <see cref="ResetReason.ProtocolError"/> when the stream
    /// ended or began with another byte (then the stream is reset with that reason here).
    /// </summary>
    /// <remarks>
    /// Without an answer within <paramref name="timeout"/> the stream is reset with
    /// <see cref="ResetReason.Timeout"/>: a session that lost every subflow answers nothing, and the
    /// client must not wait for ever. (The remote proxy's own connect timeout is shorter and speaks first.)
    /// </remarks>
    public static async ValueTask<ResetReason?> ReadConfirmationAsync(MultipathStream stream, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[1];
        using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        answer.CancelAfter(timeout);
        try
        {
            var n = await stream.ReadAsync(buffer, answer.Token).ConfigureAwait(false);
            if (n == 1 && buffer[0] == Connected)
            {
                return null;
            }
        }
        catch (StreamResetException e)
        {
            return e.Reason;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            stream.Reset(ResetReason.Timeout);
            return ResetReason.Timeout;
        }

        stream.Reset(ResetReason.ProtocolError);
        return ResetReason.ProtocolError;
    }
}
