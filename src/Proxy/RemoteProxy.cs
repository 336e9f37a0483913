using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

using ProgMp.Engine;

namespace ProgMp.Proxy;

/// <summary>
/// The remote half of the proxy pair (TM3's RP, an MPTCP proxy's server side): accepts multipath
/// sessions and, for each stream, connects a plain TCP socket to the stream's destination, when the
/// <see cref="AllowList"/> allows it, and relays the two (<see cref="TcpRelay"/>). A destination it
/// may not or cannot reach gets the stream reset with the reason (<see cref="ProxyProtocol"/>).
/// Keeps listening for as long as it lives, so clients can add and re-open subflows.
/// </summary>
internal sealed class RemoteProxy : IAsyncDisposable
{
    /// <summary>How long resolving and connecting one destination may take before the stream is reset with <see cref="ResetReason.Timeout"/>.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly MultipathListener _listener;
    private readonly AllowList _allow;
    private readonly OwnEndPoints _own;
    private readonly TimeSpan _connectTimeout;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskTracker _tasks = new();
    private int _disposed;

    /// <param name="listen">The multipath listening endpoints.</param>
    /// <param name="allow">Where streams may go.</param>
    /// <param name="options">The sessions' options (schedulers, limits...).</param>
    /// <param name="loggerFactory">Where the proxy and its sessions log.</param>
    /// <param name="connectTimeout">How long resolving and connecting one destination may take (<see cref="DefaultConnectTimeout"/>).</param>
    /// <param name="own">The proxy's own endpoints to start from; tests hand in one with made-up host addresses.</param>
    public RemoteProxy(IEnumerable<IPEndPoint> listen, AllowList allow, MultipathOptions options, ILoggerFactory? loggerFactory = null, TimeSpan? connectTimeout = null, OwnEndPoints? own = null)
    {
        ArgumentNullException.ThrowIfNull(allow);
        _allow = allow;
        _own = own ?? new OwnEndPoints();
        _connectTimeout = connectTimeout ?? DefaultConnectTimeout;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ProgMp.Proxy");
        _listener = new MultipathListener(listen, options, loggerFactory);
    }

    /// <summary>The bound endpoints, once started.</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => _listener.LocalEndPoints;

    public AllowList Allow => _allow;

    /// <summary>
    /// Where this proxy listens: never a destination, even when the allow list covers it. The
    /// multipath ports are in from <see cref="Start"/> on; a host adds its other ports (the control
    /// endpoint) with <see cref="OwnEndPoints.Add"/>.
    /// </summary>
    public OwnEndPoints OwnEndPoints => _own;

    /// <summary>The sessions set up and not yet ended.</summary>
    public IReadOnlyList<MultipathSession> Sessions => _listener.Sessions;

    /// <summary>Binds every endpoint (throws <see cref="SocketException"/> if one is taken) and starts serving.</summary>
    public void Start()
    {
        _listener.Start();
        foreach (var endpoint in _listener.LocalEndPoints)
        {
            _own.Add(endpoint);
        }

        _tasks.Run(() => AcceptSessionsAsync(_stop.Token));
    }

    private async Task AcceptSessionsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            MultipathSession session;
            try
            {
                session = await _listener.AcceptSessionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            ProxyLog.SessionAccepted(_logger, session.Id);
            _tasks.Run(() => ServeSessionAsync(session, cancellationToken));
        }
    }

    private async Task ServeSessionAsync(MultipathSession session, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var stream = await session.AcceptStreamAsync(cancellationToken).ConfigureAwait(false);
                _tasks.Run(() => ServeStreamOrResetAsync(session, stream, cancellationToken));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The session ended, or the proxy is stopping.
        }

        if (!cancellationToken.IsCancellationRequested)
        {
            ProxyLog.SessionEnded(_logger, session.Id, session.CloseReason);
        }

        // Also unhooks the session from the registry it follows.
        await session.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Whatever goes wrong with one stream ends that stream only, with a reset its client hears.</summary>
    private async Task ServeStreamOrResetAsync(MultipathSession session, MultipathStream stream, CancellationToken cancellationToken)
    {
        try
        {
            await ServeStreamAsync(session, stream, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ProxyLog.StreamFailed(_logger, session.Id, stream.Id, e);
            stream.Reset(ResetReason.InternalError);
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ServeStreamAsync(MultipathSession session, MultipathStream stream, CancellationToken cancellationToken)
    {
        var destination = stream.Destination;
        if (destination is null)
        {
            ProxyLog.DestinationNotAllowed(_logger, session.Id, stream.Id, "(none)", "the stream names no destination");
            stream.Reset(ResetReason.Refused);
            await stream.DisposeAsync().ConfigureAwait(false);
            return;
        }

        var (socket, failure) = await ConnectAsync(session, stream, destination, cancellationToken).ConfigureAwait(false);
        if (socket is null)
        {
            stream.Reset(failure);
            await stream.DisposeAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            await ProxyProtocol.ConfirmAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StreamResetException or OperationCanceledException)
        {
            // The client gave up, or we are stopping, before the relay began: nothing to carry.
            socket.Dispose();
            stream.Reset(ResetReason.Cancelled);
            await stream.DisposeAsync().ConfigureAwait(false);
            return;
        }

        ProxyLog.Connected(_logger, session.Id, stream.Id, EndPointText.Format(destination), socket.RemoteEndPoint?.ToString());
        await TcpRelay.RunAsync(socket, stream, $"Session {session.Id}, stream {stream.Id} to {EndPointText.Format(destination)}", _logger, confirmationTimeout: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A connected socket, or null and the reason to reset the stream with.</summary>
    private async Task<(Socket? Socket, ResetReason Failure)> ConnectAsync(MultipathSession session, MultipathStream stream, EndPoint destination, CancellationToken cancellationToken)
    {
        var text = EndPointText.Format(destination);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_connectTimeout);
        IPAddress[] candidates;
        int port;
        try
        {
            switch (destination)
            {
                case IPEndPoint ip:
                    port = ip.Port;
                    if (!_allow.Permits(ip.Address, port, _own))
                    {
                        ProxyLog.DestinationNotAllowed(_logger, session.Id, stream.Id, text, _allow.Allows(ip.Address, port) ? "one of the proxy's own ports" : "not in the allow list");
                        return (null, ResetReason.Refused);
                    }

                    candidates = [ip.Address];
                    break;
                case DnsEndPoint dns:
                    port = dns.Port;
                    var addresses = await Dns.GetHostAddressesAsync(dns.Host, timeout.Token).ConfigureAwait(false);
                    candidates = _allow.PermittedAddresses(dns.Host, port, addresses, _own);
                    if (addresses.Length == 0)
                    {
                        ProxyLog.ConnectFailed(_logger, session.Id, stream.Id, text, ResetReason.HostNotFound, "no addresses");
                        return (null, ResetReason.HostNotFound);
                    }

                    if (candidates.Length == 0)
                    {
                        ProxyLog.DestinationNotAllowed(_logger, session.Id, stream.Id, text, $"none of its addresses ({string.Join<IPAddress>(", ", addresses)}) is allowed (the allow list, the proxy's own ports)");
                        return (null, ResetReason.Refused);
                    }

                    break;
                default:
                    return (null, ResetReason.Refused);
            }
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            // ArgumentException: a name the resolver will not take (too long for DNS), so no host has it.
            ProxyLog.ConnectFailed(_logger, session.Id, stream.Id, text, ResetReason.HostNotFound, e.Message);
            return (null, ResetReason.HostNotFound);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ProxyLog.ConnectFailed(_logger, session.Id, stream.Id, text, ResetReason.Timeout, "name resolution timed out");
            return (null, ResetReason.Timeout);
        }
        catch (OperationCanceledException)
        {
            return (null, ResetReason.Cancelled);
        }

        var failure = ResetReason.DestinationUnreachable;
        var error = "";
        foreach (var address in candidates)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token).ConfigureAwait(false);
                socket.NoDelay = true;
                return (socket, default);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failure = ReasonFor(e.SocketErrorCode);
                error = e.Message;
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                if (cancellationToken.IsCancellationRequested)
                {
                    return (null, ResetReason.Cancelled);
                }

                failure = ResetReason.Timeout;
                error = $"no answer within {_connectTimeout.TotalSeconds:0.#} s";
                break;
            }
        }

        ProxyLog.ConnectFailed(_logger, session.Id, stream.Id, text, failure, error);
        return (null, failure);
    }

    /// <summary>What a failed connect tells the client, as close as the reasons allow.</summary>
    internal static ResetReason ReasonFor(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => ResetReason.ConnectionRefused,
        SocketError.TimedOut => ResetReason.Timeout,
        SocketError.NetworkUnreachable or SocketError.NetworkDown or SocketError.HostUnreachable or SocketError.HostDown
            or SocketError.AddressNotAvailable => ResetReason.DestinationUnreachable,
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => ResetReason.HostNotFound,
        SocketError.ConnectionReset => ResetReason.ConnectionReset,
        _ => ResetReason.InternalError,
    };

    /// <summary>Stops accepting, resets every relay, ends every session.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _listener.DisposeAsync().ConfigureAwait(false);
        await _tasks.WhenAllAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
