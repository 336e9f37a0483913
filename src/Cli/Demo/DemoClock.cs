using System.Diagnostics;

namespace ProgMp.Cli.Demo;

/// <summary>The demo's time line: zero until the transfer starts, then the time since. Safe to read from any thread.</summary>
internal sealed class DemoClock
{
    private long _started;

    public bool IsStarted => Volatile.Read(ref _started) != 0;

    public TimeSpan Elapsed
    {
        get
        {
            var started = Volatile.Read(ref _started);
            return started == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(started);
        }
    }

    public void Start() => Volatile.Write(ref _started, Stopwatch.GetTimestamp());
}
