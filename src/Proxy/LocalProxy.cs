using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProgMp.Engine.Wire;

using ProgMp.Engine;

namespace ProgMp.Proxy;

/// <summary>
/// The local half of the proxy pair (TM3's LP): keeps one multipath session to the
/// <see cref="RemoteProxy"/> over every configured path (and opens a new one whenever it ends), and
/// turns every TCP connection accepted on its SOCKS5 port or its forward ports into one stream of
/// that session, to the destination the client asked for or the port is fixed to.
/// </summary>
/// <remarks>
/// A SOCKS client hears success only once the remote proxy confirmed that it is connected
/// (<see cref="ProxyProtocol"/>), and otherwise the reply code that matches the remote's reason
/// (<see cref="Socks5Handshake.ReplyFor"/>). A forward port has no way to say "refused", so its
/// client is accepted at once, its bytes flow before the confirmation, and a failure to connect
/// reaches it as a reset.
/// </remarks>
internal sealed class LocalProxy : IAsyncDisposable
{
    /// <summary>The most paths a session has (path ids are one byte).</summary>
    public const int MaxPaths = 255;

    /// <summary>How often a session that has used all its stream ids is checked for its last stream's end.</summary>
    private static readonly TimeSpan s_drainPoll = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<MultipathPath> _paths;
    private readonly IPEndPoint? _socks;
    private readonly IReadOnlyList<ForwardRule> _forwards;
    private readonly MultipathOptions _options;
    private readonly ProxyLimits _limits;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeSpan _connectTimeout;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskTracker _tasks = new();
    private readonly List<Socket> _listeners = [];
    private readonly Lock _sessionLock = new();
    private TaskCompletionSource<MultipathSession> _session = NewSessionSource();

    // Completed to make the session loop leave the published session to its streams and connect another.
    private TaskCompletionSource? _retire;
    private int _handshakes;
    private int _disposed;

    /// <param name="paths">The subflows' paths to the remote proxy.</param>
    /// <param name="socks">The SOCKS5 listening endpoint, or null for none.</param>
    /// <param name="forwards">Fixed forward ports.</param>
    /// <param name="options">The session's options (schedulers, packet size...).</param>
    /// <param name="loggerFactory">Where the proxy and its session log.</param>
    /// <param name="connectTimeout">
    /// How long a connection waits for a session and then for the remote proxy's answer; a little more
    /// than <see cref="RemoteProxy.DefaultConnectTimeout"/>, so the remote's own timeout speaks first.
    /// </param>
    /// <param name="limits">The bounds on the legacy clients' handshakes; null for the defaults.</param>
    public LocalProxy(IReadOnlyList<MultipathPath> paths, IPEndPoint? socks, IReadOnlyList<ForwardRule> forwards, MultipathOptions options, ILoggerFactory? loggerFactory = null, TimeSpan? connectTimeout = null, ProxyLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(forwards);
        ArgumentNullException.ThrowIfNull(options);
        if (paths.Count is 0 or > MaxPaths)
        {
            throw new ArgumentException($"The local proxy needs 1 to {MaxPaths} paths to the remote proxy.", nameof(paths));
        }

        if (socks is null && forwards.Count == 0)
        {
            throw new ArgumentException("The local proxy needs a SOCKS endpoint or at least one forward port.", nameof(forwards));
        }

        _paths = paths;
        _socks = socks;
        _forwards = forwards;
        _options = options;
        _limits = limits ?? new ProxyLimits();
        _limits.Validate();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("ProgMp.Proxy");
        _connectTimeout = connectTimeout ?? RemoteProxy.DefaultConnectTimeout + TimeSpan.FromSeconds(5);
    }

    /// <summary>The bound SOCKS endpoint, once started, or null.</summary>
    public IPEndPoint? SocksEndPoint { get; private set; }

    /// <summary>The forward rules with their bound listening endpoints, once started.</summary>
    public IReadOnlyList<ForwardRule> Forwards { get; private set; } = [];

    /// <summary>The live session to the remote proxy, or null while there is none.</summary>
    public MultipathSession? Session
    {
        get
        {
            var task = _session.Task;
            return task.IsCompletedSuccessfully && !task.Result.Completion.IsCompleted ? task.Result : null;
        }
    }

    /// <summary>Connections on the SOCKS and forward ports not relaying yet (bounded by <see cref="ProxyLimits.MaxHandshakes"/>).</summary>
    internal int PendingHandshakes => Volatile.Read(ref _handshakes);

    /// <summary>Binds every listener (throws <see cref="SocketException"/> if one is taken), then starts accepting and connecting the session.</summary>
    public void Start()
    {
        try
        {
            if (_socks is not null)
            {
                var listener = Listen(_socks);
                SocksEndPoint = (IPEndPoint)listener.LocalEndPoint!;
                _tasks.Run(() => AcceptLoop.RunAsync(listener, "SOCKS", client => Admit(client, () => ServeSocksAsync(client, _stop.Token)), _logger, _stop.Token));
            }

            var bound = new List<ForwardRule>();
            foreach (var rule in _forwards)
            {
                var listener = Listen(rule.Listen);
                var actual = rule with { Listen = (IPEndPoint)listener.LocalEndPoint! };
                bound.Add(actual);
                _tasks.Run(() => AcceptLoop.RunAsync(listener, "Forward " + actual, client => Admit(client, () => ServeForwardAsync(client, actual, _stop.Token)), _logger, _stop.Token));
            }

            Forwards = bound;
        }
        catch
        {
            _stop.Cancel();
            foreach (var listener in _listeners)
            {
                listener.Dispose();
            }

            throw;
        }

        _tasks.Run(() => KeepSessionAsync(_stop.Token));
    }

    /// <summary>Waits until a session to the remote proxy is up.</summary>
    public async Task<MultipathSession> WaitForSessionAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<MultipathSession> pending;
            lock (_sessionLock)
            {
                pending = _session.Task;
            }

            var session = await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!session.Completion.IsCompleted)
            {
                return session;
            }

            // It just ended and the next one is being connected.
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    private Socket Listen(IPEndPoint endpoint)
    {
        var socket = ListeningSocket.Open(endpoint);
        _listeners.Add(socket);
        return socket;
    }

    /// <summary>
    /// Takes a just-accepted connection into its handshake, unless <see cref="ProxyLimits.MaxHandshakes"/>
    /// are already in one: then it is reset at once, so a flood of idle connections costs a
    /// bounded number of sockets and no thread.
    /// </summary>
    private void Admit(Socket client, Func<Task> serve)
    {
        if (Interlocked.Increment(ref _handshakes) > _limits.MaxHandshakes)
        {
            Interlocked.Decrement(ref _handshakes);
            _options.Limits.CountHit(ResourceLimit.ProxyHandshakes, _logger, $"{_limits.MaxHandshakes} connections are in their handshake; {client.RemoteEndPoint} was reset");
            SocketClose.Reset(client);
            return;
        }

        try
        {
            client.NoDelay = true;
            _tasks.Run(serve);
        }
        catch
        {
            Interlocked.Decrement(ref _handshakes);
            throw;
        }
    }

    /// <summary>The end of a connection's handshake: it relays now, or is closed.</summary>
    private void EndHandshake(ref bool handshaking)
    {
        if (handshaking)
        {
            handshaking = false;
            Interlocked.Decrement(ref _handshakes);
        }
    }

    /// <summary>
    /// One session at a time: connect (with backoff while the remote proxy is unreachable), publish it,
    /// and start again when it ends, or when it has used all its stream ids (then it is left to the
    /// streams it carries, and closed after the last).
    /// </summary>
    private async Task KeepSessionAsync(CancellationToken cancellationToken)
    {
        var delay = _options.ReconnectMinDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            MultipathSession session;
            try
            {
                session = await MultipathClient.ConnectAsync(_paths, _options, _loggerFactory, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is IOException or SocketException or TimeoutException)
            {
                ProxyLog.SessionConnectFailed(_logger, e.Message, (long)delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
                continue;
            }

            delay = _options.ReconnectMinDelay;
            ProxyLog.SessionConnected(_logger, session.Id, _paths.Count);
            var retire = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            TaskCompletionSource<MultipathSession> published;
            lock (_sessionLock)
            {
                published = _session;
                _retire = retire;
            }

            published.TrySetResult(session);
            _tasks.Run(() => RefusePeerStreamsAsync(session, cancellationToken));
            try
            {
                await Task.WhenAny(session.Completion, retire.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await session.DisposeAsync().ConfigureAwait(false);
                return;
            }

            Unpublish(session);
            if (session.Completion.IsCompleted)
            {
                ProxyLog.SessionLost(_logger, session.Id, session.CloseReason);
                await session.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                ProxyLog.SessionRetired(_logger, session.Id);
                _tasks.Run(() => CloseWhenDrainedAsync(session, cancellationToken));
            }
        }
    }

    /// <summary>New connections wait for the next session from now on; false if <paramref name="session"/> was not the published one.</summary>
    private bool Unpublish(MultipathSession session)
    {
        lock (_sessionLock)
        {
            var task = _session.Task;
            if (!task.IsCompletedSuccessfully || !ReferenceEquals(task.Result, session))
            {
                return false;
            }

            _session = NewSessionSource();
            _retire?.TrySetResult();
            _retire = null;
            return true;
        }
    }

    /// <summary>Closes a session that has used all its stream ids once the streams it carries have ended (or it ended by itself).</summary>
    private static async Task CloseWhenDrainedAsync(MultipathSession session, CancellationToken cancellationToken)
    {
        try
        {
            while (!session.Completion.IsCompleted && session.GetStatistics().Streams.Count > 0)
            {
                await Task.WhenAny(session.Completion, Task.Delay(s_drainPoll, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the session closes below all the same.
        }

        await session.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The remote proxy has no business opening streams towards us (nothing here would serve them),
    /// so each is refused at once and counted as <see cref="ResourceLimit.PeerOpenedStream"/>.
    /// </summary>
    private async Task RefusePeerStreamsAsync(MultipathSession session, CancellationToken cancellationToken)
    {
        while (true)
        {
            MultipathStream stream;
            try
            {
                stream = await session.AcceptStreamAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            _options.Limits.CountHit(ResourceLimit.PeerOpenedStream, _logger, $"session {session.Id}: the remote proxy opened stream {stream.Id}; refused");
            stream.Reset(ResetReason.Refused);
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A stream to <paramref name="destination"/> on the live session, waiting for one if needed; null if none came in time.</summary>
    private async Task<MultipathStream?> OpenStreamAsync(EndPoint destination, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_connectTimeout);
        while (true)
        {
            MultipathSession session;
            try
            {
                session = await WaitForSessionAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            try
            {
                return session.OpenStream(destination);
            }
            catch (ObjectDisposedException)
            {
                // The session ended between the two calls; the next one will do.
            }
            catch (InvalidOperationException)
            {
                // It has used all its stream ids: the session loop connects a fresh one for this and later connections.
                Unpublish(session);
            }
        }
    }

    private async Task ServeSocksAsync(Socket client, CancellationToken cancellationToken)
    {
        var peer = client.RemoteEndPoint?.ToString();
        var handshaking = true;
        MultipathStream? stream = null;
        try
        {
            SocksRequest request;
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                handshake.CancelAfter(_limits.HandshakeTimeout);
                try
                {
                    request = await Socks5Handshake.ReadRequestAsync(client, handshake.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Counted, and logged at most once a minute: a slowloris flood must not flood the log too.
                    _options.Limits.CountHit(ResourceLimit.HandshakeTimeout, _logger, $"SOCKS client {peer} did not finish its handshake within {_limits.HandshakeTimeout.TotalSeconds:0.#} s; reset");
                    EndHandshake(ref handshaking);
                    SocketClose.Reset(client);
                    return;
                }
            }

            if (request.Destination is not { } destination)
            {
                ProxyLog.SocksRefused(_logger, peer, request.Refusal, request.Problem ?? "");
                await CloseAsync(client).ConfigureAwait(false);
                return;
            }

            try
            {
                stream = await OpenStreamAsync(destination, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                // A name the wire cannot carry (Destination's rules): no host of that name can be reached.
                ProxyLog.SocksRefused(_logger, peer, SocksReply.HostUnreachable, e.Message);
                await Socks5Handshake.SendReplyAsync(client, SocksReply.HostUnreachable, cancellationToken).ConfigureAwait(false);
                await CloseAsync(client).ConfigureAwait(false);
                return;
            }

            if (stream is null)
            {
                ProxyLog.NoSession(_logger, peer);
                await Socks5Handshake.SendReplyAsync(client, SocksReply.GeneralFailure, cancellationToken).ConfigureAwait(false);
                await CloseAsync(client).ConfigureAwait(false);
                return;
            }

            ProxyLog.StreamOpened(_logger, peer, stream.Id, EndPointText.Format(destination));
            if (await ProxyProtocol.ReadConfirmationAsync(stream, _connectTimeout, cancellationToken).ConfigureAwait(false) is { } reason)
            {
                ProxyLog.DestinationFailed(_logger, peer, EndPointText.Format(destination), reason);
                await Socks5Handshake.SendReplyAsync(client, Socks5Handshake.ReplyFor(reason), cancellationToken).ConfigureAwait(false);
                await stream.DisposeAsync().ConfigureAwait(false);
                stream = null;
                await CloseAsync(client).ConfigureAwait(false);
                return;
            }

            await Socks5Handshake.SendReplyAsync(client, SocksReply.Succeeded, cancellationToken).ConfigureAwait(false);
            var relayed = stream;
            stream = null;
            EndHandshake(ref handshaking);
            await TcpRelay.RunAsync(client, relayed, $"SOCKS client {peer}, stream {relayed.Id} to {EndPointText.Format(destination)}", _logger, confirmationTimeout: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away during the handshake, or the proxy is stopping.
            stream?.Reset(ResetReason.Cancelled);
            client.Dispose();
        }
        catch (Exception e)
        {
            // Whatever it was, it ends this connection only, and never leaves the socket behind.
            ProxyLog.ConnectionFailed(_logger, peer, e);
            stream?.Reset(ResetReason.InternalError);
            SocketClose.Reset(client);
        }
        finally
        {
            EndHandshake(ref handshaking);
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task ServeForwardAsync(Socket client, ForwardRule rule, CancellationToken cancellationToken)
    {
        var peer = client.RemoteEndPoint?.ToString();
        var handshaking = true;
        try
        {
            MultipathStream? stream;
            try
            {
                stream = await OpenStreamAsync(rule.Destination, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException)
            {
                // Checked when the rule was made; cannot happen, but must not leave the client hanging.
                stream = null;
            }

            EndHandshake(ref handshaking);
            if (stream is null)
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    ProxyLog.NoSession(_logger, peer);
                }

                SocketClose.Reset(client);
                return;
            }

            ProxyLog.StreamOpened(_logger, peer, stream.Id, EndPointText.Format(rule.Destination));
            await TcpRelay.RunAsync(client, stream, $"Forward client {peer}, stream {stream.Id} to {EndPointText.Format(rule.Destination)}", _logger, _connectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            SocketClose.Reset(client);
        }
        catch (Exception e)
        {
            ProxyLog.ConnectionFailed(_logger, peer, e);
            SocketClose.Reset(client);
        }
        finally
        {
            EndHandshake(ref handshaking);
        }
    }

    /// <summary>
    /// Closes a refused client with a FIN after its reply: stop sending, then read what it still sends
    /// (briefly), because closing with unread data would turn the FIN into a reset that can overtake
    /// the reply.
    /// </summary>
    private static async Task CloseAsync(Socket client)
    {
        try
        {
            client.Shutdown(SocketShutdown.Send);
            using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var buffer = new byte[512];
            while (await client.ReceiveAsync(buffer, SocketFlags.None, drain.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing anyway.
        }
        finally
        {
            client.Dispose();
        }
    }

    private static TaskCompletionSource<MultipathSession> NewSessionSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stops accepting, resets every relay, closes the session.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        await _tasks.WhenAllAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
