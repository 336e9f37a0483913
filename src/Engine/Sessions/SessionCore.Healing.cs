using ProgMp.Engine.Logging;
using ProgMp.Engine.Subflows;
using ProgMp.Engine.Timing;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Sessions;

/// <summary>
/// Signalling that heals. Control frames travel once, on one subflow, and die with it: a window update
/// lost so would hang its stream for ever, a reset lost so would leave the peer waiting. So when a
/// subflow is suspected or dies, and when one attaches, every stream's acknowledgement and window goes
/// out again on a live subflow, with the resets the peer may not have; data and FINs come back by
/// reinjection (<see cref="Reinject"/>).
/// </summary>
internal sealed partial class SessionCore
{
    private readonly List<PendingReset> _pendingResets = [];

    /// <summary>Sends a reset of ours and keeps it until the peer is known to have it; with no subflow now, it goes when one attaches.</summary>
    private void SendResetLocked(uint streamId, StreamResetReason reason)
    {
        var now = MonotonicClock.NowMicroseconds;
        var carrier = BestSubflow();
        carrier?.SendControl(new StreamResetFrame(streamId, reason));
        if (_pendingResets.Count >= Options.Limits.PendingResetsPerSession)
        {
            Options.Limits.Counters.Hit(ResourceLimit.PendingResets, Logger, $"session {Name}: more than {Options.Limits.PendingResetsPerSession} stream resets not yet confirmed; the oldest is forgotten");
            _pendingResets.RemoveAt(0);
        }

        _pendingResets.Add(new PendingReset(streamId, reason, carrier, now));
        if (carrier is not null)
        {
            // The timer pings the carrier, once for a burst of resets, to learn that they arrived.
            ScheduleTimerLocked(now + 1_000);
        }
    }

    /// <summary>Forgets the resets their carrier has delivered, and pings carriers that have not answered since. Returns no deadline of its own.</summary>
    private long ConfirmResetsLocked(long now)
    {
        for (var i = _pendingResets.Count - 1; i >= 0; i--)
        {
            if (_pendingResets[i].Carrier is { } carrier && carrier.State != SubflowState.Dead && carrier.LastPongEchoUs >= _pendingResets[i].QueuedUs)
            {
                _pendingResets.RemoveAt(i);
            }
        }

        foreach (var pending in _pendingResets)
        {
            if (pending.Carrier is { State: SubflowState.Active } carrier && carrier.LastPingSentUs < pending.QueuedUs)
            {
                Ping(carrier, now);
            }
        }

        return long.MaxValue;
    }

    /// <summary>After a subflow was suspected or died: the session's signalling again on the best live subflow, if there is one.</summary>
    private void HealLocked()
    {
        if (!IsClosed && BestSubflow() is { State: SubflowState.Active } target)
        {
            ResendSignallingLocked(target, opens: false);
        }
    }

    /// <summary>
    /// Sends on <paramref name="target"/> what may have died with another subflow: every stream's
    /// acknowledgement and window, its STREAM_OPEN while unconfirmed (<paramref name="opens"/>; a live
    /// subflow has it already), and the resets not yet confirmed.
    /// </summary>
    private void ResendSignallingLocked(Subflow target, bool opens)
    {
        var now = MonotonicClock.NowMicroseconds;
        var acks = 0;
        if (opens)
        {
            // In id order, as the peer expects opens (docs/protocol.md 8.2): a dictionary's order is not that.
            foreach (var stream in _streams.Values.Where(s => s.OpenedLocally && !s.OpenConfirmed && !s.IsReset).OrderBy(s => s.Id))
            {
                target.SendControl(new StreamOpenFrame(stream.Id, stream.Destination));
            }
        }

        foreach (var stream in _streams.Values)
        {
            if (stream.IsReset)
            {
                continue;
            }

            if (stream.CanAcknowledge)
            {
                SendAck(target, stream, stream.CreateAck(now));
                acks++;
            }
        }

        for (var i = 0; i < _pendingResets.Count; i++)
        {
            var pending = _pendingResets[i];
            target.SendControl(new StreamResetFrame(pending.StreamId, pending.Reason));
            _pendingResets[i] = pending with { Carrier = target, QueuedUs = now };
        }

        if (_pendingResets.Count > 0)
        {
            ScheduleTimerLocked(now + 1_000);
        }

        EngineLog.SignallingResent(Logger, Name, target.Id, acks, _pendingResets.Count);
    }
}
