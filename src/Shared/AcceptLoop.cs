using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ProgMp.Shared;

/// <summary>
/// The accept loop of every listening socket (the multipath listener, the local proxy's SOCKS and
/// forward ports, the path emulator). A failed accept, such as EMFILE when the process is out of
/// descriptors, leaves the connection in the backlog, so trying again at once would spin a core:
/// the loop waits instead, doubling from <see cref="FirstBackoff"/> to <see cref="LongestBackoff"/>,
/// logs the first failure of a run and the recovery (never each attempt), and carries on as soon
/// as an accept works again.
/// </summary>
internal static class AcceptLoop
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(10);

    /// <summary>Short enough that a freed descriptor is used within a second, long enough to cost nothing meanwhile.</summary>
    public static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Accepts on <paramref name="listener"/> until <paramref name="cancellationToken"/> is cancelled
    /// or the socket is closed, handing each connection to <paramref name="accepted"/>, which must
    /// not block; if it throws, the connection is reset and the loop goes on.
    /// </summary>
    public static Task RunAsync(Socket listener, string role, Action<Socket> accepted, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listener);
        return RunAsync(listener.AcceptAsync, role, listener.LocalEndPoint?.ToString() ?? "", accepted, logger, cancellationToken);
    }

    /// <summary>The loop over any accept function: the seam through which tests make accepting fail.</summary>
    internal static async Task RunAsync(Func<CancellationToken, ValueTask<Socket>> accept, string role, string endPoint, Action<Socket> accepted, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accept);
        ArgumentNullException.ThrowIfNull(accepted);
        ArgumentNullException.ThrowIfNull(logger);
        long failures = 0;
        var backoff = FirstBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await accept(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted }
                || cancellationToken.IsCancellationRequested)
            {
                // Stopped, or the listening socket was closed under the pending accept.
                return;
            }
            catch (Exception e)
            {
                // EMFILE, ENFILE, ENOBUFS and whatever else: none is a reason to stop listening.
                if (failures++ == 0)
                {
                    NetLog.AcceptFailing(logger, role, endPoint, (e as SocketException)?.SocketErrorCode ?? SocketError.SocketError, e.Message);
                    backoff = FirstBackoff;
                }
                else
                {
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));
                }

                try
                {
                    await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            if (failures > 0)
            {
                NetLog.AcceptRecovered(logger, role, endPoint, failures);
                failures = 0;
            }

            try
            {
                accepted(client);
            }
            catch (Exception e)
            {
                NetLog.AcceptedConnectionFailed(logger, role, endPoint, e.Message);
                SocketClose.Reset(client);
            }
        }
    }
}
