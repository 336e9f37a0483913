using ProgMp.Engine.Subflows;
using ProgMp.Engine.Timing;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Sessions;

internal sealed partial class SessionCore
{
    /// <summary>The timer's period: the resolution of the data-level timeouts.</summary>
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(5);

    private const long InitialTimeoutUs = 1_000_000;

    /// <summary>TCP_INFO is read every 20 ticks (100 ms): loss state changes on the scale of RTTs, and each read is a system call.</summary>
    private const int KernelStateEveryTicks = 20;

    /// <summary>A tick this much later than the one before says the process itself was not running (CPU starvation, a GC pause).</summary>
    private const long StarvedGapUs = 25_000;

    private long _ticks;
    private long _lastTickUs;
    private long _judgeFromUs;

    private readonly List<Subflow> _timedOut = [];

    private async Task TimerLoopAsync()
    {
        using var timer = new PeriodicTimer(s_tick);
        try
        {
            while (await timer.WaitForNextTickAsync(_lifetime.Token).ConfigureAwait(false))
            {
                Tick();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Tick()
    {
        lock (Gate)
        {
            if (IsClosed)
            {
                return;
            }

            var now = MonotonicClock.NowMicroseconds;
            if (++_ticks % KernelStateEveryTicks == 0)
            {
                foreach (var subflow in _subflows)
                {
                    subflow.RefreshKernelState();
                }
            }

            var floorUs = (long)Options.SuspectTimeoutFloor.TotalMicroseconds;

            // After the process stood still, answers may sit unread in the kernel's buffers: silence
            // measured across the pause says nothing of the paths. Give the receive loops a floor's
            // time to catch up before judging again; a real failure is found that much later.
            if (_lastTickUs != 0 && now - _lastTickUs > StarvedGapUs)
            {
                _judgeFromUs = now + Math.Max(floorUs, StarvedGapUs);
            }

            _lastTickUs = now;
            var mayJudge = now >= _judgeFromUs;
            var pingUs = (long)Options.PingInterval.TotalMicroseconds;
            var deadUs = (long)Options.DeadTimeout.TotalMicroseconds;
            _timedOut.Clear();
            foreach (var subflow in _subflows.ToArray())
            {
                // Before the first RTT sample nothing is known of the path: RFC 6298's initial 1 s.
                var timeout = subflow.Rtt.HasSample ? Math.Max(floorUs, subflow.Rtt.TimeoutUs) : Math.Max(floorUs, InitialTimeoutUs);
                switch (subflow.State)
                {
                    case SubflowState.Active:
                        if (mayJudge && IsSilent(subflow, now, timeout))
                        {
                            Suspect(subflow, now, timeout);
                        }
                        else if (!subflow.PingOutstanding && now - Math.Max(subflow.LastSendUs, subflow.LastPingSentUs) > pingUs)
                        {
                            Ping(subflow, now);
                        }

                        break;
                    case SubflowState.Suspected:
                        if (now - subflow.SuspectedSinceUs > deadUs)
                        {
                            _timedOut.Add(subflow);
                        }
                        else if (now - subflow.LastPingSentUs > timeout)
                        {
                            Ping(subflow, now);
                        }

                        break;
                }
            }

            if (_subflows.Count == 0 && now - _noSubflowSinceUs > (long)Options.SessionIdleTimeout.TotalMicroseconds)
            {
                EndLocked("no subflow for longer than the idle timeout", sendClose: false, Wire.CloseReason.IdleTimeout);
                return;
            }

            if (_active.Count > 0)
            {
                PumpLocked();
            }
        }

        foreach (var subflow in _timedOut)
        {
            OnSubflowFailed(subflow, "no answer within the dead timeout", reset: true);
        }
    }

    /// <summary>
    /// Data or a ping is outstanding and nothing proved the path works for longer than the timeout,
    /// counted from the later of the last proof and the oldest outstanding send.
    /// </summary>
    private static bool IsSilent(Subflow subflow, long nowUs, long timeoutUs)
    {
        if (subflow.PingOutstanding && nowUs - Math.Max(subflow.LastPingSentUs, subflow.LastProofUs) > Math.Max(timeoutUs, 2 * subflow.Rtt.SmoothedUs))
        {
            return true;
        }

        if (subflow.InFlight == 0)
        {
            return false;
        }

        subflow.TrimOutstanding();
        if (!subflow.Outstanding.TryPeek(out var oldest))
        {
            return false;
        }

        return nowUs - Math.Max(subflow.LastProofUs, oldest.LastSentUs) > timeoutUs;
    }

    private static void Ping(Subflow subflow, long nowUs)
    {
        subflow.SendPing(nowUs);
    }
}
