using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProgMp.Engine.Logging;
using ProgMp.Engine.Net;
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
    private readonly Channel<MultipathSession> _accepted = Channel.CreateUnbounded<MultipathSession>();
    private readonly CancellationTokenSource _stop = new();
    private readonly MultipathOptions _options;
    private readonly ILogger _logger;
    private readonly List<IPEndPoint> _endpoints;
    private int _disposed;

    /// <summary>Creates a listener; <see cref="Start"/> binds it.</summary>
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
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ProgMp.Engine");
    }

    /// <summary>The bound endpoints (with the ports the system chose for port 0).</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => _listeners.Select(s => (IPEndPoint)s.LocalEndPoint!).ToList();

    /// <summary>Sessions set up and not yet ended.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>The sessions set up and not yet ended, as the application accepted them.</summary>
    public IReadOnlyList<MultipathSession> Sessions => _wrappers.Values.Where(s => !s.Completion.IsCompleted).ToList();

    /// <summary>Binds every endpoint and starts accepting.</summary>
    public void Start()
    {
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
        var remote = socket.RemoteEndPoint?.ToString();
        SocketTuning.ConfigureSubflow(socket, _options.NotSentLowWatermark);
        var reader = SocketTuning.CreateReader(socket);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_options.HandshakeTimeout);
        try
        {
            var (frame, _) = await Handshake.ReadAsync(reader, timeout.Token).ConfigureAwait(false);
            switch (frame.Type)
            {
                case FrameType.Setup:
                    await SetUpAsync(socket, reader, frame.Setup, timeout.Token).ConfigureAwait(false);
                    return;
                case FrameType.JoinRequest:
                    await JoinAsync(socket, reader, frame.JoinRequest, timeout.Token).ConfigureAwait(false);
                    return;
                default:
                    var error = new ProtocolError(ProtocolErrorReason.UnexpectedFrame, (byte)frame.Type, "A new connection must start with SETUP or JOIN_REQUEST.");
                    throw new HandshakeException(error.ToString(), CloseFrame.ForProtocolError(error));
            }
        }
        catch (HandshakeException e)
        {
            EngineLog.ConnectionRefused(_logger, remote, e.Message);
            await RefuseAsync(socket, reader, e.Reply).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            var error = new ProtocolError(ProtocolErrorReason.HandshakeTimeout, 0, "A handshake step did not complete in time.");
            EngineLog.ConnectionRefused(_logger, remote, error.Message);
            await RefuseAsync(socket, reader, CloseFrame.ForProtocolError(error)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            EngineLog.ConnectionRefused(_logger, remote, e.Message);
            await RefuseAsync(socket, reader, null).ConfigureAwait(false);
        }
    }

    private static async Task RefuseAsync(Socket socket, PipeReader reader, CloseFrame? reply)
    {
        if (reply is { } close)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await Handshake.SendAsync(socket, close, cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        await reader.CompleteAsync().ConfigureAwait(false);
        socket.Dispose();
    }

    private async Task SetUpAsync(Socket socket, PipeReader reader, SetupFrame setup, CancellationToken cancellationToken)
    {
        if (!ProtocolVersion.TryNegotiate(setup.MinVersion, setup.MaxVersion, out var version))
        {
            throw new HandshakeException("no protocol version in common", ProtocolVersion.UnsupportedVersionClose());
        }

        ulong token;
        do
        {
            token = JoinAuthenticator.NewToken();
        }
        while (_sessions.ContainsKey(token));

        var serverKey = JoinAuthenticator.NewKey();
        var secret = JoinAuthenticator.DeriveSecret(setup.ClientKey, serverKey, token, version);
        var core = new SessionCore(isClient: false, token, secret, version, setup.InitialWindow, _options, _logger);
        _sessions[token] = core;
        _ = core.Closed.ContinueWith(_ => _sessions.TryRemove(token, out SessionCore? _), TaskScheduler.Default);
        await Handshake.SendAsync(socket, new SetupAckFrame(version, token, serverKey, (uint)_options.ReceiveWindow), cancellationToken).ConfigureAwait(false);
        EngineLog.SessionEstablished(_logger, core.Name, socket.RemoteEndPoint?.ToString());
        if (core.Attach(socket, reader, 0, backup: false) is null)
        {
            throw new HandshakeException("the session could not take the subflow");
        }

        var session = new MultipathSession(core, connector: null);
        _wrappers[token] = session;
        _ = core.Closed.ContinueWith(_ => _wrappers.TryRemove(token, out MultipathSession? _), TaskScheduler.Default);
        _accepted.Writer.TryWrite(session);
    }

    private async Task JoinAsync(Socket socket, PipeReader reader, JoinRequestFrame request, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(request.Token, out var core) || core.IsClosed)
        {
            throw new HandshakeException("the join names no session", new CloseFrame(CloseReason.UnknownSession, message: "No such session."));
        }

        if (request.Version != core.Version)
        {
            throw new HandshakeException($"the join speaks version {request.Version}, the session {core.Version}", ProtocolVersion.UnsupportedVersionClose());
        }

        var challenge = JoinAuthenticator.CreateChallenge(core.Secret, request);
        await Handshake.SendAsync(socket, challenge, cancellationToken).ConfigureAwait(false);
        var confirm = (await Handshake.ExpectAsync(reader, FrameType.JoinConfirm, cancellationToken).ConfigureAwait(false)).JoinConfirm;
        if (!JoinAuthenticator.VerifyConfirm(core.Secret, request, challenge, confirm))
        {
            throw new HandshakeException("the join's MAC does not verify", new CloseFrame(CloseReason.AuthenticationFailed, message: "The join MAC does not verify."));
        }

        await Handshake.SendAsync(socket, default(JoinAcceptFrame), cancellationToken).ConfigureAwait(false);
        if (core.Attach(socket, reader, request.PathId, request.Backup) is null)
        {
            throw new HandshakeException("the session has no room for another subflow", new CloseFrame(CloseReason.ResourceLimit, message: "Too many subflows."));
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
            lock (core.Gate)
            {
                core.EndLocked("the listener was disposed", sendClose: true, CloseReason.Shutdown);
            }

            closing.Add(core.Closed);
        }

        await Task.WhenAll(closing).ConfigureAwait(false);
        _stop.Dispose();
    }
}
