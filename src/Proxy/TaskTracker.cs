using System.Collections.Concurrent;

namespace ProgMp.Proxy;

/// <summary>The fire-and-forget tasks of a proxy (accept loops, one per connection), so that disposing it can wait for all of them.</summary>
internal sealed class TaskTracker
{
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private long _next;

    public int Count => _running.Count;

    /// <summary>Starts <paramref name="work"/> on the thread pool; it must not throw (an exception is kept in its task and ignored).</summary>
    public void Run(Func<Task> work)
    {
        var id = Interlocked.Increment(ref _next);
        var task = Task.Run(work);
        _running[id] = task;
        _ = task.ContinueWith(_ => _running.TryRemove(id, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits until every task started so far, and every one they start meanwhile, has finished.</summary>
    public async Task WhenAllAsync()
    {
        while (!_running.IsEmpty)
        {
            var snapshot = _running.ToArray();
            try
            {
                await Task.WhenAll(snapshot.Select(p => p.Value)).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Each task logs its own failure; waiting is all that is left to do here.
            }

            foreach (var (id, _) in snapshot)
            {
                _running.TryRemove(id, out _);
            }
        }
    }
}
