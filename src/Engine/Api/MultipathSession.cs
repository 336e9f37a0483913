using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Threading.Channels;
using ProgMp.Engine.Sessions;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Tracing;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine;

/// <summary>
/// A multipath session: the subflows between two hosts and the streams that share them. A client's
/// session comes from <see cref="MultipathClient.ConnectAsync"/>, a server's from
/// <see cref="MultipathListener.AcceptSessionAsync"/>.
/// </summary>
public sealed class MultipathSession : IAsyncDisposable
{
    private readonly SessionCore _core;
    private readonly ClientConnector? _connector;
    private readonly EventHandler<string> _onRegistryChanged;

    internal MultipathSession(SessionCore core, ClientConnector? connector)
    {
        _core = core;
        _connector = connector;
        _onRegistryChanged = (_, _) => _core.OnRegistryChanged();
        core.Options.Registry.Changed += _onRegistryChanged;

        // However the session ends (closed here, by the peer, or by a failure), it stops listening to the registry.
        _ = core.Closed.ContinueWith(_ => core.Options.Registry.Changed -= _onRegistryChanged, TaskScheduler.Default);
    }

    internal SessionCore Core => _core;

    /// <summary>The session's name in logs and statistics.</summary>
    public string Id => _core.Name;

    /// <summary>This side opened the session.</summary>
    public bool IsClient => _core.IsClient;

    /// <summary>The options the session was made with.</summary>
    public MultipathOptions Options => _core.Options;

    /// <summary>Completes when the session has ended.</summary>
    public Task Completion => _core.Closed;

    /// <summary>Why the session ended, in words for a log, once it has.</summary>
    public string? CloseReason => _core.CloseReason;

    /// <summary>Why the session ended, once it has; null while it lives.</summary>
    public SessionEndReason? EndReason => _core.EndReason;

    /// <summary>The peer ended the session (its <c>CLOSE</c> arrived), rather than this side.</summary>
    public bool EndedByPeer => _core.EndedByPeer;

    /// <summary>Opens a stream the peer's application accepts.</summary>
    /// <exception cref="InvalidOperationException">The session has used all its stream ids: open a new session.</exception>
    /// <exception cref="ObjectDisposedException">The session ended.</exception>
    public MultipathStream OpenStream() => new(_core, _core.OpenStream(Destination.None));

    /// <summary>Opens a stream the peer (a remote proxy) connects to <paramref name="destination"/>.</summary>
    /// <exception cref="InvalidOperationException">The session has used all its stream ids: open a new session.</exception>
    /// <exception cref="ObjectDisposedException">The session ended.</exception>
    public MultipathStream OpenStream(EndPoint destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return new MultipathStream(_core, _core.OpenStream(ToWire(destination)));
    }

    /// <summary>
    /// Checks that a stream can carry <paramref name="destination"/> (an IP end point with a specified
    /// address, or a host name the wire can carry, with a port from 1 to 65535): for checking
    /// configuration before it is used.
    /// </summary>
    /// <param name="destination">The destination a host would pass to <see cref="OpenStream(EndPoint)"/>.</param>
    /// <param name="problem">Why it cannot be carried, in one line; null when it can.</param>
    public static bool IsValidDestination(EndPoint destination, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(destination);
        problem = null;
        try
        {
            _ = ToWire(destination);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            problem = e is ArgumentOutOfRangeException or OverflowException ? "the port must be from 1 to 65535" : e.Message.Split(" (Parameter")[0];
            return false;
        }
    }

    private static Destination ToWire(EndPoint destination) => destination switch
    {
        IPEndPoint ip => Destination.FromAddress(ip.Address, checked((ushort)ip.Port)),
        DnsEndPoint dns => Destination.FromHostName(dns.Host, checked((ushort)dns.Port)),
        _ => throw new ArgumentException("The destination must be an IPEndPoint or a DnsEndPoint.", nameof(destination)),
    };

    /// <summary>The next stream the peer opened.</summary>
    /// <exception cref="ObjectDisposedException">The session ended.</exception>
    public async ValueTask<MultipathStream> AcceptStreamAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var core = await _core.AcceptedStreams.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new MultipathStream(_core, core);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(MultipathSession), "The session has ended: " + _core.CloseReason);
        }
    }

    /// <summary>Makes the open stream <paramref name="streamId"/> run the scheduler <paramref name="name"/>; false if there is no such stream.</summary>
    /// <exception cref="ArgumentException">No scheduler of that name is loaded.</exception>
    public bool SetStreamScheduler(uint streamId, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_core.Options.Registry.Contains(name))
        {
            throw new ArgumentException($"No scheduler named '{name}' is loaded.", nameof(name));
        }

        return _core.SetScheduler(streamId, name);
    }

    /// <summary>Sets register R<paramref name="register"/> (1–6) of the open stream <paramref name="streamId"/>; false if there is no such stream.</summary>
    public bool SetStreamRegister(uint streamId, int register, long value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(register, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(register, Runtime.Execution.SchedulerState.RegisterCount);
        return _core.SetRegister(streamId, register, value);
    }

    /// <summary>Starts the decision trace of the open stream <paramref name="streamId"/> (<see cref="MultipathStream.EnableDecisionTrace"/>); false if there is no such stream.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1 or above <see cref="DecisionTrace.MaxCapacity"/>.</exception>
    /// <exception cref="InvalidOperationException">The traces of the session's streams would keep more than <see cref="MultipathLimits.TracedDecisionsPerSession"/> decisions.</exception>
    public bool EnableStreamDecisionTrace(uint streamId, int capacity = DecisionTrace.DefaultCapacity) => _core.StartTrace(null, streamId, capacity);

    /// <summary>Stops the decision trace of the open stream <paramref name="streamId"/>, keeping what it recorded; false if there is no such stream.</summary>
    public bool DisableStreamDecisionTrace(uint streamId) => _core.StopTrace(streamId);

    /// <summary>A copy of the decision trace of the open stream <paramref name="streamId"/> (<see cref="MultipathStream.GetDecisionTrace"/>), or null if there is no such stream.</summary>
    public DecisionTrace? GetStreamDecisionTrace(uint streamId, int last = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(last);
        return _core.FindStream(streamId) is { } stream ? _core.DescribeTrace(stream, last) : null;
    }

    /// <summary>Adds a path (client only); returns its id.</summary>
    public int AddPath(MultipathPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return RequireClient().AddPath(path);
    }

    /// <summary>Removes a path (client only): its subflows close and what they carried is sent again elsewhere.</summary>
    public bool RemovePath(int pathId) => pathId is >= 0 and <= 255 && RequireClient().RemovePath((byte)pathId);

    /// <summary>Marks a path backup or regular (client only); the peer hears of it.</summary>
    public bool SetPathBackup(int pathId, bool backup) => pathId is >= 0 and <= 255 && RequireClient().SetBackup((byte)pathId, backup);

    /// <summary>The client's paths: id, addresses, backup, removed.</summary>
    public IReadOnlyList<(int Id, MultipathPath Path, bool Backup, bool Removed)> Paths =>
        _connector is null ? [] : _connector.Paths.Select(p => ((int)p.Id, p.Spec, p.Backup, p.Removed)).ToList();

    /// <summary>A snapshot of the session's figures: its subflows, its streams and its scheduler's work.</summary>
    public SessionStatistics GetStatistics() => _core.GetStatistics();

    private ClientConnector RequireClient() =>
        _connector ?? throw new InvalidOperationException("Only the client's side of a session manages paths.");

    /// <summary>
    /// Closes the session as closing a TCP socket does: streams whose writes were completed
    /// (<see cref="MultipathStream.CompleteWrites"/>, or disposed) first deliver what was written,
    /// each reset instead if the peer acknowledges nothing for <see cref="MultipathOptions.Linger"/>;
    /// streams still open for writing are reset. Then the peer hears CLOSE and every stream ends; one
    /// whose incoming direction arrived whole can still be read to its end.
    /// </summary>
    public async ValueTask CloseAsync() =>
        await _core.CloseGracefullyAsync("closed by the application", Wire.CloseReason.Normal).ConfigureAwait(false);

    /// <summary>Closes the session (<see cref="CloseAsync"/>): written data is delivered first.</summary>
    public ValueTask DisposeAsync() => CloseAsync();

    /// <summary>"session " and the <see cref="Id"/>.</summary>
    public override string ToString() => $"session {Id}";
}
