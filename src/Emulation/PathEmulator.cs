using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProgMp.Emulation;

/// <summary>
/// An in-process TCP relay that emulates one network path, because kernel netem is not available
/// where ProgMp's tests run. It listens on a local endpoint and, for each accepted connection,
/// connects to the target and relays both ways; each direction has its own <see cref="PathProfile"/>
/// (one-way delay, bottleneck rate and queue), changeable while it runs, and the path can be failed
/// (<see cref="PathFailureMode"/>) and restored. Bytes are never dropped: the relayed connections carry
/// framed protocols, so a full queue stops the relay reading and TCP backpressure reaches the sender.
/// </summary>
public sealed class PathEmulator : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly HashSet<RelayedConnection> _connections = [];
    private readonly Task _accepting;
    private volatile PathProfile _toTargetProfile;
    private volatile PathProfile _toClientProfile;

    // Both guarded by _gate. While blackholed, _blackholeLifted is the task the pumps wait on.
    private PathFailureMode? _failure;
    private TaskCompletionSource? _blackholeLifted;
    private long _bytesToTarget;
    private long _bytesToClient;
    private long _connectionsAccepted;
    private long _nextConnectionId;
    private Task? _disposing;

    private PathEmulator(Socket listener, IPEndPoint target, PathProfile profile, ILogger logger)
    {
        _listener = listener;
        Target = target;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _toTargetProfile = profile;
        _toClientProfile = profile;
        _logger = logger;
        _logger.Listening(LocalEndPoint, target, profile);
        _accepting = AcceptAsync(_stopping.Token);
    }

    /// <summary>The bound listening endpoint (the real port when started on port 0).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Called with the bytes of every read, in either direction, before they are relayed; may change them (tests only).</summary>
    public PathTap? Tap { get; set; }

    /// <summary>Where every accepted connection is relayed to.</summary>
    public IPEndPoint Target { get; }

    /// <summary>The fault in force, or null when the path works.</summary>
    public PathFailureMode? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }
    }

    /// <summary>Bytes written on to targets, over all connections.</summary>
    public long BytesToTarget => Interlocked.Read(ref _bytesToTarget);

    /// <summary>Bytes written back to clients, over all connections.</summary>
    public long BytesToClient => Interlocked.Read(ref _bytesToClient);

    /// <summary>Connections accepted, including those reset at once while the path was failed.</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    /// <summary>Connections being relayed now.</summary>
    public int ActiveConnections
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Binds <paramref name="listenOn"/> (port 0 for any) and starts relaying to <paramref name="target"/>.</summary>
    public static PathEmulator Start(IPEndPoint listenOn, IPEndPoint target, PathProfile? profile = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(listenOn);
        ArgumentNullException.ThrowIfNull(target);
        var listener = RelaySockets.CreateStream(listenOn.AddressFamily);
        try
        {
            // Accepted sockets inherit the small buffers set on the listener.
            listener.Bind(listenOn);
            listener.Listen(128);
            var logger = (ILogger?)loggerFactory?.CreateLogger<PathEmulator>() ?? NullLogger.Instance;
            return new PathEmulator(listener, target, profile ?? PathProfile.Unlimited, logger);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>The profile in force for one direction.</summary>
    public PathProfile GetProfile(PathDirection direction) => direction == PathDirection.ToTarget ? _toTargetProfile : _toClientProfile;

    /// <summary>Sets the profile of both directions; takes effect at once, also for bytes already queued.</summary>
    public void SetProfile(PathProfile profile)
    {
        SetProfile(PathDirection.ToTarget, profile);
        SetProfile(PathDirection.ToClient, profile);
    }

    /// <summary>Sets one direction's profile; takes effect at once, also for bytes already queued.</summary>
    public void SetProfile(PathDirection direction, PathProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (direction == PathDirection.ToTarget)
        {
            _toTargetProfile = profile;
        }
        else
        {
            _toClientProfile = profile;
        }

        _logger.ProfileChanged(direction, profile);
        foreach (var connection in Snapshot())
        {
            connection.Wake();
        }
    }

    /// <summary>Breaks the path (see <see cref="PathFailureMode"/>) until <see cref="Restore"/>. Replaces a fault already in force.</summary>
    public void Fail(PathFailureMode mode)
    {
        RelayedConnection[] victims = [];
        TaskCompletionSource? lifted = null;
        int open;
        lock (_gate)
        {
            _failure = mode;
            open = _connections.Count;
            if (mode == PathFailureMode.Reset)
            {
                victims = [.. _connections];
                lifted = _blackholeLifted;
                _blackholeLifted = null;
            }
            else
            {
                _blackholeLifted ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        foreach (var connection in victims)
        {
            connection.Abort("path failed (reset)");
        }

        // A blackhole turned into a reset: its connections are gone, nothing is left to hold.
        lifted?.TrySetResult();

        // Only now: whoever reads the line (a script, a test) may rely on the fault being in force.
        _logger.PathFailed(mode, open);
    }

    /// <summary>Ends the fault in force: held bytes flow on, new connections are relayed again.</summary>
    public void Restore()
    {
        PathFailureMode mode;
        TaskCompletionSource? lifted;
        RelayedConnection[] held;
        lock (_gate)
        {
            if (_failure is not { } failure)
            {
                return;
            }

            mode = failure;
            _failure = null;
            lifted = _blackholeLifted;
            _blackholeLifted = null;
            held = lifted is null ? [] : [.. _connections];
        }

        var now = Stopwatch.GetTimestamp();
        foreach (var connection in held)
        {
            connection.ResumeAt(now);
        }

        lifted?.TrySetResult();
        _logger.PathRestored(mode);
    }

    /// <summary>Stops listening and resets every relayed connection. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposing ??= DisposeCoreAsync();
            return new ValueTask(_disposing);
        }
    }

    /// <summary>Completes at once unless the path is blackholed; then when it is restored.</summary>
    internal ValueTask WaitWhileBlackholedAsync(CancellationToken cancellationToken)
    {
        var lifted = Volatile.Read(ref _blackholeLifted);
        return lifted is null ? default : new ValueTask(lifted.Task.WaitAsync(cancellationToken));
    }

    internal void CountForwarded(PathDirection direction, int count)
    {
        if (direction == PathDirection.ToTarget)
        {
            Interlocked.Add(ref _bytesToTarget, count);
        }
        else
        {
            Interlocked.Add(ref _bytesToClient, count);
        }
    }

    internal void OnConnectionEnded(RelayedConnection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
        }
    }

    private async Task DisposeCoreAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        var connections = Snapshot();
        foreach (var connection in connections)
        {
            connection.Abort("emulator stopped");
        }

        foreach (var connection in connections)
        {
            await connection.Completion.ConfigureAwait(false);
        }

        TaskCompletionSource? lifted;
        lock (_gate)
        {
            lifted = _blackholeLifted;
            _blackholeLifted = null;
        }

        lifted?.TrySetResult();
        _stopping.Dispose();
        _logger.Stopped(BytesToTarget, BytesToClient, ConnectionsAccepted);
    }

    private Task AcceptAsync(CancellationToken cancellationToken) =>
        AcceptLoop.RunAsync(_listener, "Path emulator", socket => OnAccepted(socket, cancellationToken), _logger, cancellationToken);

    private void OnAccepted(Socket socket, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _connectionsAccepted);
        try
        {
            StartRelaying(socket, cancellationToken);
        }
        catch (SocketException e)
        {
            // No socket for the target side (out of descriptors): the client sees a reset.
            _logger.AcceptFailed(e.SocketErrorCode);
            RelaySockets.Reset(socket);
        }
    }

    private void StartRelaying(Socket socket, CancellationToken cancellationToken)
    {
        RelayedConnection? connection = null;
        lock (_gate)
        {
            if (_failure != PathFailureMode.Reset)
            {
                connection = new RelayedConnection(this, socket, _nextConnectionId + 1, _logger, cancellationToken);
                _nextConnectionId++;
                _connections.Add(connection);
            }
        }

        if (connection is null)
        {
            _logger.ConnectionResetWhileFailed(socket.RemoteEndPoint);
            RelaySockets.Reset(socket);
            return;
        }

        _logger.ConnectionAccepted(connection.Id, connection.ClientEndPoint);
        connection.Start();
    }

    private RelayedConnection[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _connections];
        }
    }
}
