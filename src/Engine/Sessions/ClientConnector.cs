using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using ProgMp.Engine.Logging;
using ProgMp.Engine.Security;
using ProgMp.Engine.Subflows;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Sessions;

/// <summary>
/// The client's side of a session: sets it up over the first path that answers, joins every other
/// path, and opens a path again with backoff whenever its subflow fails, so the session never depends
/// on one subflow, its first included.
/// </summary>
internal sealed class ClientConnector
{
    private readonly List<ClientPath> _paths = [];
    private readonly MultipathOptions _options;
    private readonly MultipathSecurity _security;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private SessionCore? _session;

    private ClientConnector(MultipathOptions options, ILogger logger)
    {
        _options = options;
        _security = MultipathSecurity.ForClient(options);
        _logger = logger;
    }

    public SessionCore Session => _session ?? throw new InvalidOperationException("The session is not set up yet.");

    public static async Task<ClientConnector> ConnectAsync(IReadOnlyList<MultipathPath> paths, MultipathOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        if (paths.Count == 0)
        {
            throw new ArgumentException("A session needs at least one path.", nameof(paths));
        }

        if (paths.Count > 255)
        {
            throw new ArgumentException("A session has at most 255 paths.", nameof(paths));
        }

        var connector = new ClientConnector(options, logger);
        for (var i = 0; i < paths.Count; i++)
        {
            connector._paths.Add(new ClientPath((byte)i, paths[i]));
        }

        var errors = new List<string>();
        foreach (var path in connector._paths)
        {
            try
            {
                await connector.SetUpAsync(path, cancellationToken).ConfigureAwait(false);
                if (path.Id != 0)
                {
                    // Path 0 refused: this path's address is the wire's path 0 now, and path 0 takes its id.
                    (path.WireId, connector._paths[0].WireId) = (0, path.Id);
                }

                break;
            }
            catch (Exception e) when (e is SocketException or HandshakeException or IOException or TimeoutException)
            {
                errors.Add($"{path.Spec.Remote}: {e.Message}");
            }
        }

        if (connector._session is null)
        {
            throw new IOException("No path could set up the session: " + string.Join("; ", errors));
        }

        // Subscribed before the path loops start, and the setup subflow checked after: one that died
        // in between would otherwise never be re-opened.
        connector._session.SubflowEnded += connector.OnSubflowEnded;
        foreach (var path in connector._paths)
        {
            if (path.Current is { State: SubflowState.Dead } dead)
            {
                connector.OnSubflowEnded(dead);
            }

            connector.StartPathLoop(path);
        }

        return connector;
    }

    /// <summary>Adds a path at run time (a handover's first step); returns its id.</summary>
    public byte AddPath(MultipathPath spec)
    {
        ClientPath path;
        lock (_lock)
        {
            if (_paths.Count >= 255)
            {
                throw new InvalidOperationException("A session has at most 255 paths.");
            }

            path = new ClientPath((byte)_paths.Count, spec);
            _paths.Add(path);
        }

        StartPathLoop(path);
        return path.Id;
    }

    /// <summary>Removes a path: its subflows close, what they carried goes to RQ, the peer hears PATH_REMOVE.</summary>
    public bool RemovePath(byte id)
    {
        var path = Find(id);
        if (path is null || path.Removed)
        {
            return false;
        }

        path.Removed = true;
        path.Stop.Cancel();
        lock (Session.Gate)
        {
            if (Session.BestSubflow() is { } subflow && subflow.LocalPathId != id)
            {
                subflow.SendControl(new PathRemoveFrame(path.WireId));
            }
        }

        Session.CloseSubflowsOfPath(id, "the path was removed");
        return true;
    }

    public bool SetBackup(byte id, bool backup)
    {
        var path = Find(id);
        if (path is null || path.Removed)
        {
            return false;
        }

        path.Backup = backup;
        lock (Session.Gate)
        {
            Session.SetPathBackupLocked(id, backup);
            foreach (var subflow in Session.Subflows)
            {
                subflow.SendControl(new PathPriorityFrame(path.WireId, backup));
            }
        }

        return true;
    }

    public IReadOnlyList<(byte Id, MultipathPath Spec, bool Backup, bool Removed)> Paths
    {
        get
        {
            lock (_lock)
            {
                return _paths.Select(p => (p.Id, p.Spec, p.Backup, p.Removed)).ToList();
            }
        }
    }

    private ClientPath? Find(byte id)
    {
        lock (_lock)
        {
            return id < _paths.Count ? _paths[id] : null;
        }
    }

    private void OnSubflowEnded(Subflow subflow)
    {
        ClientPath? path;
        lock (_lock)
        {
            path = _paths.Find(p => ReferenceEquals(p.Current, subflow));
        }

        if (path is not null)
        {
            path.Current = null;
            path.Ended.TrySetResult();
        }
    }

    private void StartPathLoop(ClientPath path) => _ = Task.Run(() => RunPathAsync(path));

    private async Task RunPathAsync(ClientPath path)
    {
        var session = Session;
        var delay = _options.ReconnectMinDelay;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(session.Lifetime, path.Stop.Token);
        var token = linked.Token;
        while (!token.IsCancellationRequested)
        {
            if (path.Current is not null)
            {
                try
                {
                    await path.Ended.Task.WaitAsync(token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = _options.ReconnectMinDelay;
                continue;
            }

            try
            {
                await JoinAsync(path, token).ConfigureAwait(false);
                delay = _options.ReconnectMinDelay;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (HandshakeException e) when (e.PeerReason is CloseReason.UnknownSession && HasNoSubflow(session))
            {
                // No subflow is left and the server no longer knows the session (it restarted, or ended
                // it): no path can ever join again, and waiting out the idle timeout would only delay
                // the end. With a subflow alive the server plainly knows it; only this path backs off.
                lock (session.Gate)
                {
                    session.EndLocked("the server no longer knows this session", close: null, only: null, why: SessionEndReason.UnknownSession);
                }

                return;
            }
            catch (Exception e)
            {
                // Whatever went wrong with this attempt, the path is tried again: a session must not
                // lose a path for good because one join failed in a way nobody foresaw.
                EngineLog.PathRetry(_logger, session.Name, path.Id, path.Spec.Remote.ToString() ?? "", e.Message, (long)delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
            }
        }
    }

    private static bool HasNoSubflow(SessionCore session)
    {
        lock (session.Gate)
        {
            return session.Subflows.Count == 0;
        }
    }

    /// <summary>A connected, tuned socket with TLS (or plaintext) on it, ready for SETUP or JOIN_REQUEST.</summary>
    private async Task<SubflowTransport> ConnectTransportAsync(ClientPath path, CancellationToken timeout, CancellationToken cancellationToken)
    {
        var remote = path.Spec.Remote;
        var family = remote is IPEndPoint ip ? ip.AddressFamily : path.Spec.Local?.AddressFamily ?? AddressFamily.InterNetwork;
        var socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (path.Spec.Local is { } local)
            {
                socket.Bind(local);
            }

            await socket.ConnectAsync(remote, timeout).ConfigureAwait(false);
            SocketTuning.ConfigureSubflow(socket, _options.NotSentLowWatermark);
            return await SubflowTls.ConnectAsync(socket, _security, timeout).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException("the server did not complete the connection (TCP and TLS) in time");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task SetUpAsync(ClientPath path, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HandshakeTimeout);
        var transport = await ConnectTransportAsync(path, timeout.Token, cancellationToken).ConfigureAwait(false);
        try
        {
            var clientKey = JoinAuthenticator.NewKey();
            await Handshake.SendAsync(transport.Stream, new SetupFrame(ProtocolVersion.Min, ProtocolVersion.Max, clientKey, _options.InitialWindow), timeout.Token).ConfigureAwait(false);
            var ack = (await Handshake.ExpectAsync(transport.Reader, FrameType.SetupAck, timeout.Token).ConfigureAwait(false)).SetupAck;
            if (ack.Version < ProtocolVersion.Min || ack.Version > ProtocolVersion.Max)
            {
                throw new HandshakeException($"the server chose version {ack.Version}, which this side does not speak");
            }

            var secret = JoinAuthenticator.DeriveSecret(clientKey, ack.ServerKey, ack.Token, ack.Version);
            var session = new SessionCore(isClient: true, ack.Token, secret, ack.Version, ack.InitialWindow, _options, _logger);
            _session = session;
            EngineLog.SessionEstablished(_logger, session.Name, transport.Socket.RemoteEndPoint?.ToString());
            path.Current = session.Attach(transport, path.Id, path.Backup) ?? throw new HandshakeException("the session could not take the subflow");
            if (path.Backup)
            {
                // SETUP carries no backup flag: the server takes the first subflow as regular until told.
                lock (session.Gate)
                {
                    path.Current.SendControl(new PathPriorityFrame(0, backup: true));
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await transport.CloseAsync().ConfigureAwait(false);
            throw new TimeoutException("the server did not answer the setup in time");
        }
        catch
        {
            await transport.CloseAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task JoinAsync(ClientPath path, CancellationToken cancellationToken)
    {
        var session = Session;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HandshakeTimeout);
        var transport = await ConnectTransportAsync(path, timeout.Token, cancellationToken).ConfigureAwait(false);
        try
        {
            var request = new JoinRequestFrame(session.Version, session.Token, JoinAuthenticator.NewNonce(), path.WireId, path.Backup);
            await Handshake.SendAsync(transport.Stream, request, timeout.Token).ConfigureAwait(false);
            var challenge = (await Handshake.ExpectAsync(transport.Reader, FrameType.JoinChallenge, timeout.Token).ConfigureAwait(false)).JoinChallenge;
            if (!JoinAuthenticator.TryCreateConfirm(session.Secret, request, challenge, out var confirm))
            {
                await Handshake.SendAsync(transport.Stream, new CloseFrame(CloseReason.AuthenticationFailed, message: "The server's join MAC is wrong."), timeout.Token).ConfigureAwait(false);
                throw new HandshakeException("the server could not prove it knows the session's secret");
            }

            await Handshake.SendAsync(transport.Stream, confirm, timeout.Token).ConfigureAwait(false);
            await Handshake.ExpectAsync(transport.Reader, FrameType.JoinAccept, timeout.Token).ConfigureAwait(false);
            // A fresh completion before the subflow starts: it may end before Attach even returns.
            path.Ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var subflow = session.Attach(transport, path.Id, path.Backup) ?? throw new HandshakeException("the session is over");
            path.Current = subflow;
            if (subflow.State == SubflowState.Dead)
            {
                // It failed before it was ours to watch.
                path.Current = null;
            }
            else if (path.Removed)
            {
                session.OnSubflowFailed(subflow, "the path was removed", reset: false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await transport.CloseAsync().ConfigureAwait(false);
            throw new TimeoutException("the server did not answer the join in time");
        }
        catch
        {
            await transport.CloseAsync().ConfigureAwait(false);
            throw;
        }
    }
}
