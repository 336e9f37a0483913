using Microsoft.Extensions.Logging;

namespace ProgMp.Cli.Demo;

/// <summary>The logger <see cref="DemoEventLog"/> hands out: formats each message once and queues it.</summary>
internal sealed class DemoEventLogger : ILogger
{
    // The engine's PRINT relay (event 8) would flood the list with a scheduler's own output.
    private const int SchedulerPrintEventId = 8;

    private const string EngineCategory = "ProgMp.Engine";

    private readonly DemoEventLog _log;
    private readonly bool _isEngine;

    public DemoEventLogger(DemoEventLog log, string category)
    {
        _log = log;
        _isEngine = category == EngineCategory;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= _log.MinimumLevel && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel) || (_isEngine && eventId.Id == SchedulerPrintEventId))
        {
            return;
        }

        var text = formatter(state, exception);
        _log.Add(logLevel, exception is null ? text : $"{text}: {exception.Message}");
    }
}
