using System.Threading.Tasks.Sources;

namespace ProgMp.Engine.Emulation;

/// <summary>
/// An auto-reset event for one waiter that allocates nothing per wait: the relay's pumps wait on it
/// thousands of times a second, where a <see cref="SemaphoreSlim"/> would allocate a task each time.
/// A <see cref="Set"/> with nobody waiting is remembered (once) for the next <see cref="WaitAsync"/>.
/// </summary>
/// <remarks>
/// The waiter always resumes on the thread pool, never inline in <see cref="Set"/> (which timer callbacks
/// and the other pump call). The signal queues itself as the work item rather than letting
/// <see cref="ManualResetValueTaskSourceCore{TResult}"/> queue the continuation, which would allocate a
/// wrapper per wake.
/// </remarks>
internal sealed class AsyncSignal : IValueTaskSource, IThreadPoolWorkItem
{
    private const int Idle = 0;
    private const int Signalled = 1;
    private const int Waiting = 2;

    private ManualResetValueTaskSourceCore<bool> _core;
    private int _state;

    /// <summary>Completes at once if a signal is pending, else at the next <see cref="Set"/>. One waiter at a time.</summary>
    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signalled) == Signalled)
        {
            return default;
        }

        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Signalled)
        {
            // Set between the two exchanges: take it now.
            Volatile.Write(ref _state, Idle);
            return default;
        }

        return new ValueTask(this, _core.Version);
    }

    public void Set()
    {
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Signalled:
                    return;
                case Idle when Interlocked.CompareExchange(ref _state, Signalled, Idle) == Idle:
                    return;
                case Waiting when Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting:
                    ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                    return;
                default:
                    continue;
            }
        }
    }

    void IThreadPoolWorkItem.Execute() => _core.SetResult(true);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
