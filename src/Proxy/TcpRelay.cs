using System.Buffers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

using ProgMp.Engine;

namespace ProgMp.Proxy;

/// <summary>
/// Copies a plain TCP socket and a <see cref="MultipathStream"/> into each other, carrying TCP's
/// endings across: a FIN is a half-close in its own direction only (socket EOF →
/// <see cref="MultipathStream.CompleteWrites"/>; stream EOF → <c>Shutdown(Send)</c>), and a reset
/// aborts both (socket reset → <see cref="MultipathStream.Reset"/> with
/// <see cref="ResetReason.ConnectionReset"/>; stream reset → the socket closes with linger 0, so its
/// peer sees an RST and not a FIN that would pass for a complete transfer).
/// Owns both: when the relay ends, both are disposed.
/// </summary>
internal sealed class TcpRelay
{
    /// <summary>Bytes read at once from either side; big enough that a fast transfer costs few calls.</summary>
    private const int BufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly MultipathStream _stream;
    private readonly CancellationTokenSource _abort;
    private int _aborted;
    private RelayOutcome _outcome;
    private string? _detail;
    private long _toStream;
    private long _toSocket;

    private TcpRelay(Socket socket, MultipathStream stream, CancellationToken cancellationToken)
    {
        _socket = socket;
        _stream = stream;
        _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>
    /// Relays until both directions have ended or one side was reset, then disposes both.
    /// With a <paramref name="confirmationTimeout"/> the stream must begin, within that time, with the
    /// remote proxy's <see cref="ProxyProtocol.Connected"/> byte, which is not relayed; a reset before
    /// it, or no answer in time, is relayed as a reset (the local proxy's forward ports use this to
    /// start sending before the answer). Cancellation resets both sides.
    /// </summary>
    public static async Task<RelayResult> RunAsync(Socket socket, MultipathStream stream, string name, ILogger logger, TimeSpan? confirmationTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(logger);
        var relay = new TcpRelay(socket, stream, cancellationToken);
        try
        {
            await Task.WhenAll(
                Task.Run(() => relay.PumpAsync(relay.SocketToStreamAsync, cancellationToken), CancellationToken.None),
                Task.Run(() => relay.PumpAsync(buffer => relay.StreamToSocketAsync(buffer, confirmationTimeout), cancellationToken), CancellationToken.None)).ConfigureAwait(false);
        }
        finally
        {
            relay._abort.Dispose();
            socket.Dispose();
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        var result = new RelayResult(relay._outcome, relay._toStream, relay._toSocket, relay._detail);
        if (result.Outcome == RelayOutcome.Completed)
        {
            ProxyLog.RelayFinished(logger, name, result.BytesToStream, result.BytesToSocket);
        }
        else
        {
            ProxyLog.RelayAborted(logger, name, result.Outcome, result.BytesToStream, result.BytesToSocket, result.Detail ?? "");
        }

        return result;
    }

    private async Task SocketToStreamAsync(byte[] buffer)
    {
        while (true)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _abort.Token).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                Abort(RelayOutcome.SocketReset, "the TCP connection failed: " + e.Message);
                return;
            }

            if (n == 0)
            {
                _stream.CompleteWrites();
                return;
            }

            try
            {
                await _stream.WriteAsync(buffer.AsMemory(0, n), _abort.Token).ConfigureAwait(false);
            }
            catch (StreamResetException e)
            {
                Abort(RelayOutcome.StreamReset, e.Message);
                return;
            }

            _toStream += n;
        }
    }

    private async Task StreamToSocketAsync(byte[] buffer, TimeSpan? confirmationTimeout)
    {
        if (confirmationTimeout is { } timeout && !await ConfirmAsync(timeout).ConfigureAwait(false))
        {
            return;
        }

        while (true)
        {
            int n;
            try
            {
                n = await _stream.ReadAsync(buffer.AsMemory(0, BufferSize), _abort.Token).ConfigureAwait(false);
            }
            catch (StreamResetException e)
            {
                Abort(RelayOutcome.StreamReset, e.Message);
                return;
            }

            try
            {
                if (n == 0)
                {
                    _socket.Shutdown(SocketShutdown.Send);
                    return;
                }

                var sent = 0;
                while (sent < n)
                {
                    sent += await _socket.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None, _abort.Token).ConfigureAwait(false);
                }
            }
            catch (SocketException e)
            {
                Abort(RelayOutcome.SocketReset, "the TCP connection failed: " + e.Message);
                return;
            }

            _toSocket += n;
        }
    }

    /// <summary>Reads the remote proxy's answer; false (and both sides reset) if it failed or did not come in time.</summary>
    private async Task<bool> ConfirmAsync(TimeSpan timeout)
    {
        if (await ProxyProtocol.ReadConfirmationAsync(_stream, timeout, _abort.Token).ConfigureAwait(false) is not { } failure)
        {
            return true;
        }

        Abort(
            failure == ResetReason.ProtocolError ? RelayOutcome.ProtocolError : RelayOutcome.StreamReset,
            $"the remote proxy did not connect: {failure}");
        return false;
    }

    /// <summary>Runs one direction with a pooled buffer; however it stops, the other direction hears of it.</summary>
    private async Task PumpAsync(Func<byte[], Task> pump, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await pump(buffer).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            OnStopped(cancellationToken);
        }
        catch (Exception e)
        {
            // Whatever it was, the other pump must not wait forever for this one.
            Abort(RelayOutcome.Failed, e.ToString());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A pump was stopped: by the other pump's abort (nothing to do), or by the caller (abort both sides).</summary>
    private void OnStopped(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            Abort(RelayOutcome.Cancelled, "the proxy is stopping");
        }
    }

    /// <summary>The first failure decides: it resets the side that did not fail, and stops the other pump.</summary>
    private void Abort(RelayOutcome outcome, string detail)
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        _outcome = outcome;
        _detail = detail;
        switch (outcome)
        {
            case RelayOutcome.SocketReset:
                _stream.Reset(ResetReason.ConnectionReset);
                break;
            case RelayOutcome.Cancelled:
                _stream.Reset(ResetReason.Cancelled);
                ResetSocket();
                break;
            case RelayOutcome.ProtocolError:
                _stream.Reset(ResetReason.ProtocolError);
                ResetSocket();
                break;
            case RelayOutcome.Failed:
                _stream.Reset(ResetReason.InternalError);
                ResetSocket();
                break;
            default:
                ResetSocket();
                break;
        }

        _abort.Cancel();
    }

    /// <summary>Closes with SO_LINGER 0: the kernel sends RST instead of FIN.</summary>
    private void ResetSocket()
    {
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone: nothing left to reset.
        }

        _socket.Dispose();
    }
}
