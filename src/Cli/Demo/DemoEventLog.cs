using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ProgMp.Cli.Demo;

/// <summary>
/// A logger provider that keeps messages for the live view instead of writing them, so the engine's
/// own account (subflow closed, path retried, subflow established) appears beside the figures
/// rather than scrolling through the redrawn screen.
/// </summary>
internal sealed class DemoEventLog : ILoggerProvider
{
    private readonly DemoClock _clock;
    private readonly ConcurrentQueue<DemoEvent> _pending = new();

    public DemoEventLog(DemoClock clock)
    {
        _clock = clock;
    }

    /// <summary>Messages below this level are not kept.</summary>
    public LogLevel MinimumLevel { get; init; } = LogLevel.Information;

    public ILogger CreateLogger(string categoryName) => new DemoEventLogger(this, categoryName);

    /// <summary>The messages logged since the last call, oldest first.</summary>
    public IReadOnlyList<DemoEvent> TakeNew()
    {
        var events = new List<DemoEvent>();
        while (_pending.TryDequeue(out var item))
        {
            events.Add(item);
        }

        return events;
    }

    internal void Add(LogLevel level, string text) => _pending.Enqueue(new DemoEvent(_clock.Elapsed, level, text));

    public void Dispose()
    {
    }
}
