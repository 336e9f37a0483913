using ProgMp.Engine.Logging;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Subflows;
using ProgMp.Engine.Timing;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Sessions;

/// <summary>
/// The session's one timer. It fires only when something is due: the data-level timeout of data in
/// flight, a ping (every <see cref="MultipathOptions.PingInterval"/> while data moves, every
/// <see cref="MultipathOptions.KeepaliveInterval"/> in a quiet session), a dead timeout, a window probe,
/// a lingering close, the end of a session without subflows. Whatever changes a deadline to an
/// earlier one pulls the timer in (<see cref="ScheduleTimerLocked"/>); a firing works out the next one.
/// </summary>
internal sealed partial class SessionCore
{
    private const long InitialTimeoutUs = 1_000_000;

    /// <summary>TCP_INFO is read this often while data moves: loss state changes on the scale of RTTs, and each read is a system call.</summary>
    private const long KernelStateEveryUs = 100_000;

    /// <summary>A firing this much later than its due time says the process itself was not running (CPU starvation, a GC pause).</summary>
    private const long StarvedGapUs = 25_000;

    /// <summary>A stream whose scheduler declined while a subflow could take data is offered the next opportunity this soon.</summary>
    private const long RetryPumpUs = 5_000;

    /// <summary>Data sent or received within this long: the session is busy, and idle subflows are pinged at the busy rate.</summary>
    private const long BusyForUs = 1_000_000;

    /// <summary>After the timer's own work failed, it tries again this much later.</summary>
    private const long AfterFailureUs = 100_000;

    private readonly List<Subflow> _timedOut = [];
    private readonly List<StreamCore> _probing = [];
    private ITimer? _timer;
    private long _armedUs = long.MaxValue;
    private long _judgeFromUs;
    private long _lastKernelReadUs;
    private long _lastDataUs;
    private long _timerFailureLoggedUs;

    private void StartTimer()
    {
        _timer = TimeProvider.System.CreateTimer(static state => ((SessionCore)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (Gate)
        {
            ScheduleTimerLocked(MonotonicClock.NowMicroseconds);
        }
    }

    /// <summary>Makes the timer fire by <paramref name="dueUs"/>; a no-op when it already fires earlier.</summary>
    private void ScheduleTimerLocked(long dueUs)
    {
        if (dueUs >= _armedUs || IsClosed || _timer is null)
        {
            return;
        }

        // A deadline already past fires at once; lateness is measured from then.
        var now = MonotonicClock.NowMicroseconds;
        _armedUs = Math.Max(dueUs, now);
        var delayMs = (_armedUs - now + 999) / 1000;
        _timer.Change(TimeSpan.FromMilliseconds(delayMs), Timeout.InfiniteTimeSpan);
    }

    private void StopTimerLocked()
    {
        _armedUs = long.MinValue;
        _timer?.Dispose();
    }

    private void OnTimer()
    {
        try
        {
            Tick();
        }
        catch (Exception e)
        {
            // A bug of ours must not stop the session's clock: say so (not at every firing) and carry on.
            lock (Gate)
            {
                var now = MonotonicClock.NowMicroseconds;
                if (_timerFailureLoggedUs == 0 || now - _timerFailureLoggedUs > 60_000_000)
                {
                    _timerFailureLoggedUs = now;
                    EngineLog.TimerFailed(Logger, Name, e);
                }

                _armedUs = long.MaxValue;
                ScheduleTimerLocked(now + AfterFailureUs);
            }
        }
    }

    /// <summary>How often the timer has fired: what an idle session costs.</summary>
    public long TimerFirings { get; private set; }

    /// <summary>The session's timer: suspicions, pings, dead subflows, probes, lingering closes; then the next deadline.</summary>
    private void Tick()
    {
        lock (Gate)
        {
            if (IsClosed)
            {
                return;
            }

            TimerFirings++;

            var now = MonotonicClock.NowMicroseconds;
            var floorUs = (long)Options.SuspectTimeoutFloor.TotalMicroseconds;

            // After the process stood still, answers may sit unread in the kernel's buffers: silence
            // measured across the pause says nothing of the paths. Give the receive loops a floor's
            // time to catch up before judging again; a real failure is found that much later.
            if (_armedUs != long.MaxValue && now - _armedUs > StarvedGapUs)
            {
                _judgeFromUs = now + Math.Max(floorUs, StarvedGapUs);
            }

            _armedUs = long.MaxValue;
            var next = CheckSubflowsLocked(now, floorUs);
            if (IsClosed)
            {
                return;
            }

            if (_subflows.Count == 0)
            {
                var endUs = _noSubflowSinceUs + (long)Options.SessionIdleTimeout.TotalMicroseconds;
                if (now >= endUs)
                {
                    EndLocked("no subflow for longer than the idle timeout", close: null, only: null, StreamResetReason.Timeout, SessionEndReason.IdleTimeout);
                    return;
                }

                next = Math.Min(next, endUs);
            }

            if (_active.Count > 0)
            {
                PumpLocked();
            }

            next = Math.Min(next, ProbeWindowsLocked(now));
            next = Math.Min(next, CheckLingeringLocked(now));
            next = Math.Min(next, ConfirmResetsLocked(now));
            ScheduleTimerLocked(next);
        }

        foreach (var subflow in _timedOut)
        {
            OnSubflowFailed(subflow, "no answer within the dead timeout", reset: true);
        }

        _timedOut.Clear();
    }

    /// <summary>Suspects, pings and times out subflows; returns the earliest deadline among them.</summary>
    private long CheckSubflowsLocked(long now, long floorUs)
    {
        var busy = IsBusyLocked(now);
        if (busy && now - _lastKernelReadUs >= KernelStateEveryUs)
        {
            _lastKernelReadUs = now;
            foreach (var subflow in _subflows)
            {
                subflow.RefreshKernelState();
            }
        }

        var next = busy ? _lastKernelReadUs + KernelStateEveryUs : long.MaxValue;
        var mayJudge = now >= _judgeFromUs;
        if (!mayJudge)
        {
            next = Math.Min(next, _judgeFromUs);
        }

        var pingUs = (long)(busy ? Options.PingInterval : Options.KeepaliveInterval).TotalMicroseconds;
        var deadUs = (long)Options.DeadTimeout.TotalMicroseconds;

        // When one subflow's ping is due, those due within half an interval go with it: one wake-up
        // (and one answer to wait for) for all of them.
        var pingFrom = pingUs;
        foreach (var subflow in _subflows)
        {
            if (subflow.State == SubflowState.Active && !subflow.PingOutstanding && now - Math.Max(subflow.LastSendUs, subflow.LastPingSentUs) >= pingUs)
            {
                pingFrom = pingUs / 2;
                break;
            }
        }

        _timedOut.Clear();
        for (var i = 0; i < _subflows.Count; i++)
        {
            var subflow = _subflows[i];
            var timeout = TimeoutFor(subflow, floorUs);
            switch (subflow.State)
            {
                case SubflowState.Active:
                    if (mayJudge && SilentSince(subflow, timeout) is var silentUs && now > silentUs)
                    {
                        Suspect(subflow, now, timeout);
                        next = Math.Min(next, now + timeout);
                        break;
                    }

                    if (!subflow.PingOutstanding && now - Math.Max(subflow.LastSendUs, subflow.LastPingSentUs) >= pingFrom)
                    {
                        Ping(subflow, now);
                    }

                    if (SilentSince(subflow, timeout) is var silent && silent != long.MaxValue)
                    {
                        next = Math.Min(next, silent + 1);
                    }

                    if (!subflow.PingOutstanding)
                    {
                        next = Math.Min(next, Math.Max(subflow.LastSendUs, subflow.LastPingSentUs) + pingUs);
                    }

                    break;
                case SubflowState.Suspected:
                    if (now - subflow.SuspectedSinceUs > deadUs)
                    {
                        _timedOut.Add(subflow);
                        break;
                    }

                    if (now - subflow.LastPingSentUs > timeout)
                    {
                        Ping(subflow, now);
                    }

                    next = Math.Min(next, Math.Min(subflow.SuspectedSinceUs + deadUs, subflow.LastPingSentUs + timeout) + 1);
                    break;
            }
        }

        return next;
    }

    /// <summary>Data moved lately, or waits to: pings go at the busy rate and the kernel's figures are read.</summary>
    private bool IsBusyLocked(long now)
    {
        if (_active.Count > 0 || now - _lastDataUs < BusyForUs)
        {
            return true;
        }

        foreach (var subflow in _subflows)
        {
            if (subflow.Account.InFlight > 0 || subflow.Account.Queued > 0 || now - subflow.LastSendUs < BusyForUs)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The data-level timeout: before the first RTT sample nothing is known of the path, so RFC 6298's initial 1 s.</summary>
    private static long TimeoutFor(Subflow subflow, long floorUs) =>
        subflow.Account.Rtt.HasSample ? Math.Max(floorUs, subflow.Account.Rtt.TimeoutUs) : Math.Max(floorUs, InitialTimeoutUs);

    /// <summary>
    /// The time after which the subflow counts as silent: a ping or data is outstanding and nothing
    /// proved the path works for longer than the timeout, counted from the later of the last proof and
    /// the oldest outstanding send. <see cref="long.MaxValue"/> when nothing is outstanding.
    /// </summary>
    private static long SilentSince(Subflow subflow, long timeoutUs)
    {
        var since = long.MaxValue;
        if (subflow.PingOutstanding)
        {
            since = Math.Max(subflow.LastPingSentUs, subflow.LastProofUs) + Math.Max(timeoutUs, 2 * subflow.Account.Rtt.SmoothedUs);
        }

        return subflow.Account.OldestInFlight() is { } oldest
            ? Math.Min(since, Math.Max(subflow.LastProofUs, oldest.LastSentUs) + timeoutUs)
            : since;
    }

    private void Ping(Subflow subflow, long nowUs)
    {
        subflow.SendPing(nowUs);
        ScheduleTimerLocked(nowUs + Math.Max(TimeoutFor(subflow, (long)Options.SuspectTimeoutFloor.TotalMicroseconds), 2 * subflow.Account.Rtt.SmoothedUs) + 1);
    }

    /// <summary>A subflow wrote data: the data-level timeout of what it carries must be watched from now on.</summary>
    private void WatchInFlightLocked(Subflow subflow)
    {
        _lastDataUs = Math.Max(_lastDataUs, subflow.LastSendUs);
        if (subflow.Account.InFlight > 0)
        {
            ScheduleTimerLocked(subflow.LastSendUs + TimeoutFor(subflow, (long)Options.SuspectTimeoutFloor.TotalMicroseconds) + 1);
        }
    }

    /// <summary>
    /// Streams whose written data lies beyond the peer's window, with nothing of theirs in flight to
    /// bring an acknowledgement, send a window probe with backoff (from <see cref="MultipathOptions.PingInterval"/>
    /// to <see cref="MultipathOptions.KeepaliveInterval"/>). Returns the next probe's time.
    /// </summary>
    private long ProbeWindowsLocked(long now)
    {
        var next = long.MaxValue;
        for (var i = _probing.Count - 1; i >= 0; i--)
        {
            var stream = _probing[i];
            if (!stream.WaitsForWindow || !_streams.ContainsKey(stream.Id))
            {
                stream.Probing = false;
                _probing.RemoveAt(i);
                continue;
            }

            if (now - stream.LastAckProgressUs < stream.ProbeIntervalUs)
            {
                // Acknowledgements still arrive and carry the window: no probe needed yet.
                stream.ProbeDueUs = Math.Max(stream.ProbeDueUs, stream.LastAckProgressUs + stream.ProbeIntervalUs);
            }

            if (now >= stream.ProbeDueUs && BestSubflow() is { State: SubflowState.Active } subflow
                && stream.TryCreateWindowProbe(now, (ushort)subflow.Id, out var probe))
            {
                subflow.SendControl(probe);
                stream.ProbeIntervalUs = Math.Min(2 * stream.ProbeIntervalUs, (long)Options.KeepaliveInterval.TotalMicroseconds);
                stream.ProbeDueUs = now + stream.ProbeIntervalUs;
            }
            else if (now >= stream.ProbeDueUs)
            {
                stream.ProbeDueUs = now + stream.ProbeIntervalUs;
            }

            next = Math.Min(next, stream.ProbeDueUs);
        }

        return next;
    }

    /// <summary>A write left data beyond the peer's window: the stream probes it until the window opens.</summary>
    private void WatchWindowLocked(StreamCore stream)
    {
        if (stream.Probing || !stream.WaitsForWindow)
        {
            return;
        }

        var now = MonotonicClock.NowMicroseconds;
        stream.Probing = true;
        stream.ProbeIntervalUs = (long)Options.PingInterval.TotalMicroseconds;
        stream.ProbeDueUs = now + stream.ProbeIntervalUs;
        _probing.Add(stream);
        ScheduleTimerLocked(stream.ProbeDueUs);
    }
}
