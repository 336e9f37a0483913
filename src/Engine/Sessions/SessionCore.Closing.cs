using ProgMp.Engine.Logging;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Timing;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Sessions;

/// <summary>
/// Closing that delivers, as closing a TCP socket does: a stream the application closed after its last
/// write goes on sending until the peer has acknowledged everything up to the FIN, and a session closed
/// by the application waits for its streams to get there before it sends CLOSE. A stream whose peer
/// acknowledges nothing for <see cref="MultipathOptions.Linger"/> is reset instead, so the peer sees an
/// error and never takes a short stream for a whole one.
/// </summary>
internal sealed partial class SessionCore
{
    private readonly List<StreamCore> _lingering = [];
    private TaskCompletionSource? _drained;

    /// <summary>The application is closing the session: it waits for its streams' data before CLOSE.</summary>
    public bool IsClosing { get; private set; }

    /// <summary>The application closed a stream whose data the peer has not all acknowledged: it lingers.</summary>
    public void LingerLocked(StreamCore stream)
    {
        if (!stream.SendPending || stream.Lingering || IsClosed)
        {
            return;
        }

        if (Options.Linger <= TimeSpan.Zero)
        {
            ResetStreamLocked(stream, StreamResetReason.Cancelled);
            return;
        }

        var now = MonotonicClock.NowMicroseconds;
        stream.Lingering = true;
        stream.LingerSinceUs = now;
        _lingering.Add(stream);
        ScheduleTimerLocked(now + (long)Options.Linger.TotalMicroseconds);
    }

    /// <summary>Resets lingering streams that made no progress for the linger time; returns the next such deadline.</summary>
    private long CheckLingeringLocked(long now)
    {
        var next = long.MaxValue;
        var lingerUs = (long)Options.Linger.TotalMicroseconds;
        for (var i = _lingering.Count - 1; i >= 0; i--)
        {
            var stream = _lingering[i];
            if (!stream.SendPending)
            {
                stream.Lingering = false;
                _lingering.RemoveAt(i);
                continue;
            }

            var due = Math.Max(stream.LingerSinceUs, stream.LastAckProgressUs) + lingerUs;
            if (now < due)
            {
                next = Math.Min(next, due);
                continue;
            }

            stream.Lingering = false;
            _lingering.RemoveAt(i);
            EngineLog.LingerExpired(Logger, Name, stream.Id, (long)Options.Linger.TotalMilliseconds, stream.UnackedBytes);
            ResetStreamLocked(stream, StreamResetReason.Timeout);
        }

        return next;
    }

    /// <summary>A stream's sending ended (its FIN acknowledged, or a reset): a closing session may be done waiting.</summary>
    public void OnSendCompletedLocked()
    {
        if (_drained is { } drained && !_lingering.Exists(static s => s.SendPending))
        {
            drained.TrySetResult();
        }
    }

    /// <summary>
    /// Closes the session as the application asked: streams whose writes were completed deliver their
    /// data first (each bounded by the linger time without progress), streams still open are reset
    /// (their data was not finished), then the peer hears CLOSE with <paramref name="closeReason"/>.
    /// </summary>
    public async Task CloseGracefullyAsync(string reason, CloseReason closeReason)
    {
        Task drained;
        lock (Gate)
        {
            if (!IsClosed && _drained is null)
            {
                IsClosing = true;
                foreach (var stream in _streams.Values.ToList())
                {
                    if (stream.IsReset)
                    {
                        continue;
                    }

                    if (stream.FinQueued)
                    {
                        LingerLocked(stream);
                    }
                    else
                    {
                        ResetStreamLocked(stream, StreamResetReason.Cancelled);
                    }
                }

                // Only now: the resets above must not count as the end of a wait that had not begun.
                _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                OnSendCompletedLocked();
            }

            drained = _drained?.Task ?? Task.CompletedTask;
        }

        await Task.WhenAny(drained, Closed).ConfigureAwait(false);
        lock (Gate)
        {
            EndLocked(reason, sendClose: true, closeReason);
        }

        await Closed.ConfigureAwait(false);
    }
}
