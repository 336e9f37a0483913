
namespace ProgMp.Engine.Subflows;

internal sealed partial class Subflow
{
    // Set by the send loop whenever it has written control bytes: the receive loop may be waiting for them to drain.
    private readonly AsyncSignal _controlDrained = new();

    /// <summary>Control bytes queued past <see cref="MultipathLimits.ControlBytesPerSubflow"/>: a peer that makes us answer and does not read.</summary>
    private bool ControlQueueFull => Control.Pending > _session.Options.Limits.ControlBytesPerSubflow;

    private void OnControlWritten() => _controlDrained.Set();

    /// <summary>
    /// Before reading more: while the control queue is past its bound, nothing more is read from this
    /// subflow (so its peer stops being answered and its sends back up in TCP). False when the queue did
    /// not drain within <see cref="MultipathLimits.ControlDrainTimeout"/>: the subflow must close.
    /// </summary>
    private async ValueTask<bool> WaitForControlDrainAsync(CancellationToken cancellationToken)
    {
        var limits = _session.Options.Limits;
        lock (_session.Gate)
        {
            if (!ControlQueueFull)
            {
                return true;
            }
        }

        limits.Counters.Hit(ResourceLimit.ControlBytesPerSubflow, _session.Logger, $"session {_session.Name}, subflow {Id}: {Control.Pending} control bytes queued and unread; reading stops until they drain");
        var deadline = Timing.MonotonicClock.NowMicroseconds + (long)limits.ControlDrainTimeout.TotalMicroseconds;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (_session.Gate)
            {
                if (!ControlQueueFull)
                {
                    return true;
                }
            }

            var left = deadline - Timing.MonotonicClock.NowMicroseconds;
            if (left <= 0)
            {
                return false;
            }

            try
            {
                await _controlDrained.WaitAsync().AsTask().WaitAsync(TimeSpan.FromMicroseconds(left), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }
}
