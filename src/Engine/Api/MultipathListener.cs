using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProgMp.Engine.Limits;
using ProgMp.Engine.Logging;
using ProgMp.Engine.Security;
using ProgMp.Engine.Sessions;
using ProgMp.Engine.Subflows;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine;

/// <summary>
/// Accepts multipath sessions on one or more local endpoints: a client's first connection sets a
/// session up, later ones join it by proving they know its secret. Keeps listening for joins as long
/// as it lives, so a client can add and re-open paths at any time.
/// </summary>
public sealed class MultipathListener : IAsyncDisposable
{
    private readonly List<Socket> _listeners = [];
    private readonly ConcurrentDictionary<ulong, SessionCore> _sessions = new();
    private readonly ConcurrentDictionary<ulong, MultipathSession> _wrappers = new();
    private readonly ConcurrentDictionary<ulong, ClientIdentity> _clients = new();
    private readonly Channel<MultipathSession> _accepted = Channel.CreateUnbounded<MultipathSession>();
    private readonly CancellationTokenSource _stop = new();
    private readonly MultipathOptions _options;
    private readonly ILogger _logger;
    private readonly List<IPEndPoint> _endpoints;
    private readonly MultipathSecurity _security;
    private readonly Admission _admission;
    private int _sweptVersion;
    private int _disposed;

    /// <summary>How often the authorized clients file is looked at for changes besides each handshake.</summary>
    internal static readonly TimeSpan RevocationCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>Creates a listener; <see cref="Start"/> binds it.</summary>
    /// <exception cref="ArgumentException">No endpoint; <see cref="MultipathOptions.Security"/> is not set; <see cref="MultipathOptions.Registry"/> does not hold <see cref="MultipathOptions.DefaultScheduler"/>.</exception>
    public MultipathListener(IEnumerable<IPEndPoint> endpoints, MultipathOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _endpoints = endpoints.ToList();
        if (_endpoints.Count == 0)
        {
            throw new ArgumentException("A listener needs at least one endpoint.", nameof(endpoints));
        }

        _options = options ?? new MultipathOptions();
        _options.Validate();
        _security = MultipathSecurity.ForListener(_options);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ProgMp.Engine");
        _admission = new Admission(_options.Limits, _logger);
    }

    internal MultipathOptions Options => _options;

    /// <summary>Connections in their handshake now (TLS, setup or join).</summary>
    internal int PendingHandshakes => _admission.PendingHandshakes;

    /// <summary>The bound endpoints (with the ports the system chose for port 0).</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => _listeners.Select(s => (IPEndPoint)s.LocalEndPoint!).ToList();

    /// <summary>Sessions set up and not yet ended.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>The sessions set up and not yet ended, as the application accepted them.</summary>
    public IReadOnlyList<MultipathSession> Sessions => _wrappers.Values.Where(s => !s.Completion.IsCompleted).ToList();

    /// <summary>Binds every endpoint and starts accepting.</summary>
    public void Start()
    {
        if (_security.IsPlaintext)
        {
            SecurityLog.InsecurePlaintext(_logger, "listener");
        }
        else if (_security.AuthorizedClients is { FilePath: { } path } authorized)
        {
            SecurityLog.AuthorizedClientsRead(_logger, path, authorized.Count);
            _ = Task.Run(() => WatchAuthorizedClientsAsync(authorized));
        }

        foreach (var endpoint in _endpoints)
        {
            var socket = ListeningSocket.Open(endpoint);
            _listeners.Add(socket);
            _ = AcceptLoop.RunAsync(socket, "Listener", client => _ = Task.Run(() => HandleConnectionAsync(client)), _logger, _stop.Token);
        }
    }

    /// <summary>The next session a client set up.</summary>
    public async ValueTask<MultipathSession> AcceptSessionAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(MultipathListener));
        }
    }

    private async Task HandleConnectionAsync(Socket socket)
    {
        var remote = socket.RemoteEndPoint as IPEndPoint;
        var address = remote?.Address ?? IPAddress.IPv6None;
        if (!_admission.TryBeginHandshake(address))
        {
            // Before any TLS work: a flood of connections costs an accept and a close each, nothing more.
            socket.LingerState = new LingerOption(true, 0);
            socket.Dispose();
            return;
        }

        SubflowTransport? transport = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(_options.HandshakeTimeout);
            try
            {
                SocketTuning.ConfigureSubflow(socket, _options.NotSentLowWatermark);
                transport = await SubflowTls.AcceptAsync(socket, _security, timeout.Token).ConfigureAwait(false);
                var client = Authorize(transport.PeerId);
                var (frame, _) = await Handshake.ReadAsync(transport.Reader, timeout.Token).ConfigureAwait(false);
                switch (frame.Type)
                {
                    case FrameType.Setup:
                        await SetUpAsync(transport, address, client, frame.Setup, timeout.Token).ConfigureAwait(false);
                        break;
                    case FrameType.JoinRequest:
                        await JoinAsync(transport, client, frame.JoinRequest, timeout.Token).ConfigureAwait(false);
                        break;
                    default:
                        var error = new ProtocolError(ProtocolErrorReason.UnexpectedFrame, (byte)frame.Type, "A new connection must start with SETUP or JOIN_REQUEST.");
                        throw new HandshakeException(error.ToString(), CloseFrame.ForProtocolError(error));
                }

                // The session owns the connection now.
                transport = null;
            }
            catch (HandshakeException e)
            {
                if (e.Limit is { } limit)
                {
                    _options.Limits.Counters.Hit(limit, _logger, $"{remote}: {e.Message}");
                }

                SecurityLog.ConnectionRefused(_logger, remote?.ToString(), e.Message);
                await RefuseAsync(socket, transport, e.Reply).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
            {
                _options.Limits.Counters.Hit(ResourceLimit.HandshakeTimeout, _logger, $"{remote} did not complete its handshake within {_options.HandshakeTimeout.TotalSeconds:0.#} s");
                var error = new ProtocolError(ProtocolErrorReason.HandshakeTimeout, 0, "A handshake step did not complete in time.");
                await RefuseAsync(socket, transport, CloseFrame.ForProtocolError(error)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                SecurityLog.ConnectionRefused(_logger, remote?.ToString(), e.Message);
                await RefuseAsync(socket, transport, null).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // A failure nobody foresaw costs this connection, never the listener.
            SecurityLog.HandshakeFailed(_logger, remote?.ToString(), e);
            socket.Dispose();
        }
        finally
        {
            _admission.EndHandshake(address);
        }
    }

    /// <summary>The client's identity if it may have sessions; a refusal (sent inside TLS, so the client learns why) if not.</summary>
    private ClientIdentity Authorize(string? clientId)
    {
        if (_security.AuthorizedClients is not { } authorized || clientId is null)
        {
            return ClientIdentity.Anonymous;
        }

        authorized.Refresh();
        var allowed = authorized.TryAuthorize(clientId, out var name);
        EndRevokedSessions(authorized);
        if (!allowed)
        {
            throw new HandshakeException($"client {clientId} is not authorized", new CloseFrame(CloseReason.AuthenticationFailed, message: $"Client {clientId} is not authorized."))
            {
                Limit = ResourceLimit.Unauthenticated,
            };
        }

        return new ClientIdentity(clientId, name);
    }

    private static async Task RefuseAsync(Socket socket, SubflowTransport? transport, CloseFrame? reply)
    {
        if (transport is null)
        {
            // No channel to the peer yet (TLS did not complete): nothing can be said.
            socket.Dispose();
            return;
        }

        if (reply is { } close)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await Handshake.SendAsync(transport.Stream, close, cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException or NotSupportedException)
            {
            }
        }

        await transport.CloseAsync().ConfigureAwait(false);
    }

    private async Task SetUpAsync(SubflowTransport transport, IPAddress address, ClientIdentity client, SetupFrame setup, CancellationToken cancellationToken)
    {
        if (!ProtocolVersion.TryNegotiate(setup.MinVersion, setup.MaxVersion, out var version))
        {
            throw new HandshakeException("no protocol version in common", ProtocolVersion.UnsupportedVersionClose());
        }

        if (_admission.TryAdmitSession(address) is { } refusal)
        {
            throw new HandshakeException(refusal, new CloseFrame(CloseReason.ResourceLimit, message: refusal));
        }

        ulong token;
        var admitted = false;
        try
        {
            do
            {
                token = JoinAuthenticator.NewToken();
            }
            while (_sessions.ContainsKey(token));

            var serverKey = JoinAuthenticator.NewKey();
            var secret = JoinAuthenticator.DeriveSecret(setup.ClientKey, serverKey, token, version);
            var core = new SessionCore(isClient: false, token, secret, version, setup.InitialWindow, _options, _logger);
            _sessions[token] = core;
            _clients[token] = client;
            admitted = true;
            _ = core.Closed.ContinueWith(
                _ =>
                {
                    _sessions.TryRemove(token, out SessionCore? _);
                    _clients.TryRemove(token, out ClientIdentity? _);
                    _admission.ReleaseSession(address);
                },
                TaskScheduler.Default);
            await Handshake.SendAsync(transport.Stream, new SetupAckFrame(version, token, serverKey, _options.InitialWindow), cancellationToken).ConfigureAwait(false);
            EngineLog.SessionEstablished(_logger, core.Name, transport.Socket.RemoteEndPoint?.ToString());
            if (client.Id is not null)
            {
                SecurityLog.ClientAuthenticated(_logger, core.Name, client.Id, client.Name);
            }

            if (core.Attach(transport, 0, backup: false) is null)
            {
                throw new HandshakeException("the session could not take the subflow");
            }

            var session = new MultipathSession(core, connector: null);
            _wrappers[token] = session;
            _ = core.Closed.ContinueWith(_ => _wrappers.TryRemove(token, out MultipathSession? _), TaskScheduler.Default);
            _accepted.Writer.TryWrite(session);
        }
        catch when (!admitted)
        {
            _admission.ReleaseSession(address);
            throw;
        }
    }

    private async Task JoinAsync(SubflowTransport transport, ClientIdentity client, JoinRequestFrame request, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(request.Token, out var core) || core.IsClosed || !_clients.TryGetValue(request.Token, out var owner))
        {
            throw new HandshakeException("the join names no session", new CloseFrame(CloseReason.UnknownSession, message: "No such session."));
        }

        if (!string.Equals(owner.Id, client.Id, StringComparison.Ordinal))
        {
            // Knowing a session's token is not enough: a subflow joins only as the client that set it up.
            throw new HandshakeException($"client {client.Id} tried to join a session of {owner.Id}", new CloseFrame(CloseReason.AuthenticationFailed, message: "Not this session's client."))
            {
                Limit = ResourceLimit.Unauthenticated,
            };
        }

        if (request.Version != core.Version)
        {
            throw new HandshakeException($"the join speaks version {request.Version}, the session {core.Version}", ProtocolVersion.UnsupportedVersionClose());
        }

        var challenge = JoinAuthenticator.CreateChallenge(core.Secret, request);
        await Handshake.SendAsync(transport.Stream, challenge, cancellationToken).ConfigureAwait(false);
        var confirm = (await Handshake.ExpectAsync(transport.Reader, FrameType.JoinConfirm, cancellationToken).ConfigureAwait(false)).JoinConfirm;
        if (!JoinAuthenticator.VerifyConfirm(core.Secret, request, challenge, confirm))
        {
            throw new HandshakeException("the join's MAC does not verify", new CloseFrame(CloseReason.AuthenticationFailed, message: "The join MAC does not verify."));
        }

        // JOIN_ACCEPT goes out as the subflow's first frame, only once the session has taken it: a
        // session without room refuses this connection alone, before the client thinks it joined.
        if (core.Attach(transport, request.PathId, request.Backup, acceptJoin: true) is null)
        {
            throw new HandshakeException("the session has no room for another subflow", new CloseFrame(CloseReason.ResourceLimit, message: "Too many subflows."));
        }
    }

    /// <summary>Ends the sessions of clients the authorized clients no longer list (once per change of the list).</summary>
    private void EndRevokedSessions(AuthorizedClients authorized)
    {
        var version = authorized.Version;
        if (Interlocked.Exchange(ref _sweptVersion, version) == version)
        {
            return;
        }

        foreach (var (token, client) in _clients)
        {
            if (client.Id is null || authorized.TryAuthorize(client.Id, out _) || !_sessions.TryGetValue(token, out var core))
            {
                continue;
            }

            SecurityLog.ClientRevoked(_logger, core.Name, client.Id, client.Name);
            core.End($"client {client.Id} is no longer authorized", CloseReason.AuthenticationFailed);
        }
    }

    /// <summary>Looks at the authorized clients file once a second, so a removed client loses its sessions even when nobody connects.</summary>
    private async Task WatchAuthorizedClientsAsync(AuthorizedClients authorized)
    {
        using var timer = new PeriodicTimer(RevocationCheckInterval);
        string? reported = null;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    var problem = authorized.Refresh();
                    if (problem is not null && problem != reported)
                    {
                        SecurityLog.AuthorizedClientsUnusable(_logger, problem);
                    }
                    else if (problem is null && reported is not null)
                    {
                        SecurityLog.AuthorizedClientsRead(_logger, authorized.FilePath ?? "", authorized.Count);
                    }

                    reported = problem;
                    EndRevokedSessions(authorized);
                }
                catch (Exception e)
                {
                    // The check runs again next tick: revocation must not stop working for good.
                    SecurityLog.RevocationCheckFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stops listening and ends every session it accepted.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        foreach (var socket in _listeners)
        {
            socket.Dispose();
        }

        _accepted.Writer.TryComplete();
        var closing = new List<Task>();
        foreach (var core in _sessions.Values)
        {
            // As the session's own close: written data is delivered first, bounded by the linger time.
            closing.Add(core.CloseGracefullyAsync("the listener was disposed", CloseReason.Shutdown));
        }

        await Task.WhenAll(closing).ConfigureAwait(false);
        _stop.Dispose();
    }
}
