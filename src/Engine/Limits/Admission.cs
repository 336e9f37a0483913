using System.Net;
using Microsoft.Extensions.Logging;

namespace ProgMp.Engine.Limits;

/// <summary>
/// A listener's admission bounds (<see cref="MultipathLimits"/>): connections in their handshake at
/// once, and sessions held at once, each in total and per source address. A refusal is counted and
/// logged through <see cref="LimitCounters"/> (at most once a minute per kind).
/// </summary>
internal sealed class Admission
{
    private readonly MultipathLimits _limits;
    private readonly ILogger _logger;
    private readonly AddressCounts _pendingByAddress = new();
    private readonly AddressCounts _sessionsByAddress = new();
    private int _pending;
    private int _sessions;

    public Admission(MultipathLimits limits, ILogger logger)
    {
        _limits = limits;
        _logger = logger;
    }

    public int PendingHandshakes => Volatile.Read(ref _pending);

    /// <summary>A new connection may start its handshake; false (counted) when too many are in one already.</summary>
    public bool TryBeginHandshake(IPAddress address)
    {
        if (Interlocked.Increment(ref _pending) > _limits.MaxPendingHandshakes)
        {
            Interlocked.Decrement(ref _pending);
            _limits.Counters.Hit(ResourceLimit.PendingHandshakes, _logger, $"{_limits.MaxPendingHandshakes} connections are in their handshake; one from {address} was dropped");
            return false;
        }

        if (!_pendingByAddress.TryAdd(address, _limits.MaxPendingHandshakesPerAddress))
        {
            Interlocked.Decrement(ref _pending);
            _limits.Counters.Hit(ResourceLimit.PendingHandshakes, _logger, $"{_limits.MaxPendingHandshakesPerAddress} connections from {address} are in their handshake; another was dropped");
            return false;
        }

        return true;
    }

    public void EndHandshake(IPAddress address)
    {
        _pendingByAddress.Remove(address);
        Interlocked.Decrement(ref _pending);
    }

    /// <summary>A new session from <paramref name="address"/> may be held; otherwise the refusal's reason (counted).</summary>
    public string? TryAdmitSession(IPAddress address)
    {
        if (Interlocked.Increment(ref _sessions) > _limits.MaxSessions)
        {
            Interlocked.Decrement(ref _sessions);
            _limits.Counters.Hit(ResourceLimit.SessionsPerProcess, _logger, $"{_limits.MaxSessions} sessions are set up; a new one from {address} was refused");
            return "Too many sessions.";
        }

        if (!_sessionsByAddress.TryAdd(address, _limits.MaxSessionsPerAddress))
        {
            Interlocked.Decrement(ref _sessions);
            _limits.Counters.Hit(ResourceLimit.SessionsPerAddress, _logger, $"{address} holds {_limits.MaxSessionsPerAddress} sessions; a new one was refused");
            return "Too many sessions from this address.";
        }

        return null;
    }

    public void ReleaseSession(IPAddress address)
    {
        _sessionsByAddress.Remove(address);
        Interlocked.Decrement(ref _sessions);
    }
}
