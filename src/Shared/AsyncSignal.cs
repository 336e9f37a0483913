using System.Threading.Tasks.Sources;

namespace ProgMp.Shared;

/// <summary>
/// An auto-reset signal with one waiter at a time, awaited as a <see cref="ValueTask"/> that allocates
/// nothing: what a subflow's send loop or a stream's reader waits on many thousand times a second.
/// A <see cref="Set"/> while nobody waits is remembered, so a wake-up is never lost.
/// </summary>
internal sealed class AsyncSignal : IValueTaskSource
{
    private readonly Lock _lock = new();
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private bool _waiting;
    private bool _pending;
    private bool _closed;

    /// <summary>Completes at the next <see cref="Set"/>, at once if one came since the last wait.</summary>
    public ValueTask WaitAsync()
    {
        lock (_lock)
        {
            if (_pending || _closed)
            {
                _pending = false;
                return ValueTask.CompletedTask;
            }

            if (_waiting)
            {
                throw new InvalidOperationException("An AsyncSignal has one waiter at a time.");
            }

            _waiting = true;
            _core.Reset();
            return new ValueTask(this, _core.Version);
        }
    }

    public void Set()
    {
        lock (_lock)
        {
            if (!_waiting)
            {
                _pending = true;
                return;
            }

            _waiting = false;
        }

        _core.SetResult(true);
    }

    /// <summary>Wakes the waiter and makes every later wait complete at once.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
        }

        Set();
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
