using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ProgMp.Emulation;

/// <summary>
/// One client connection through a <see cref="PathEmulator"/>: the accepted socket, the socket to the
/// target, and a <see cref="RelayDirection"/> each way. Ends gracefully when both directions have
/// forwarded their FIN, or abortively (RST both ways) on any error, a reset fault or disposal.
/// </summary>
internal sealed class RelayedConnection
{
    private readonly PathEmulator _path;
    private readonly Socket _client;
    private readonly Socket _target;
    private readonly ILogger _logger;

    // Guards the token source against an Abort racing with its disposal at the end of RunAsync.
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _aborting;
    private RelayDirection? _toTarget;
    private RelayDirection? _toClient;
    private bool _closed;
    private string? _abortReason;

    public RelayedConnection(PathEmulator path, Socket client, long id, ILogger logger, CancellationToken stopping)
    {
        _path = path;
        _client = client;
        Id = id;
        _logger = logger;
        ClientEndPoint = client.RemoteEndPoint;
        _aborting = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _target = RelaySockets.CreateStream(path.Target.AddressFamily);
    }

    public long Id { get; }

    public EndPoint? ClientEndPoint { get; }

    /// <summary>Completes when the connection has ended, however it ended; never faults.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = RunAsync();

    /// <summary>Resets both sockets (RST) and stops both directions. Idempotent.</summary>
    public void Abort(string reason = "socket error")
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _abortReason = reason;
            _aborting.Cancel();
        }

        RelaySockets.Reset(_client);
        RelaySockets.Reset(_target);
    }

    /// <summary>After a blackhole: both directions serve from now on.</summary>
    public void ResumeAt(long now)
    {
        Volatile.Read(ref _toTarget)?.ResumeAt(now);
        Volatile.Read(ref _toClient)?.ResumeAt(now);
    }

    /// <summary>Both directions look at the (changed) profile again.</summary>
    public void Wake()
    {
        Volatile.Read(ref _toTarget)?.Wake();
        Volatile.Read(ref _toClient)?.Wake();
    }

    private async Task RunAsync()
    {
        var cancellationToken = _aborting.Token;
        try
        {
            // A blackholed path carries no SYN either: reach the target only once it is restored.
            await _path.WaitWhileBlackholedAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _target.ConnectAsync(_path.Target, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                _logger.TargetUnreachable(Id, _path.Target, e.SocketErrorCode);
                Abort("target unreachable");
                return;
            }

            var toTarget = new RelayDirection(_path, this, _client, _target, PathDirection.ToTarget);
            var toClient = new RelayDirection(_path, this, _target, _client, PathDirection.ToClient);
            Volatile.Write(ref _toTarget, toTarget);
            Volatile.Write(ref _toClient, toClient);
            await Task.WhenAll(toTarget.RunAsync(cancellationToken), toClient.RunAsync(cancellationToken)).ConfigureAwait(false);
            if (Close())
            {
                _logger.ConnectionClosed(Id, toTarget.BytesForwarded, toClient.BytesForwarded);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Abort(e is SocketException socketError ? socketError.SocketErrorCode.ToString() : "socket error");
        }
#pragma warning disable CA1031 // A bug here must end this connection, not the emulator: log it and reset.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.RelayFailed(Id, e);
            Abort("relay error");
        }
        finally
        {
            string? reason;
            lock (_gate)
            {
                reason = _abortReason;
                _aborting.Dispose();
            }

            if (reason is not null)
            {
                _logger.ConnectionAborted(Id, reason);
            }

            _path.OnConnectionEnded(this);
        }
    }

    // Both FINs have been forwarded: a plain close, unless an abort got there first.
    private bool Close()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _closed = true;
        }

        _client.Dispose();
        _target.Dispose();
        return true;
    }
}
