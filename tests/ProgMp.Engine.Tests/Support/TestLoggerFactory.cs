using Microsoft.Extensions.Logging;

namespace ProgMp.Engine.Tests.Support;

/// <summary>Engine logs into the test's output, so a failing test shows what the sessions saw.</summary>
internal sealed class TestLoggerFactory : ILoggerFactory, ILoggerProvider
{
    private readonly LogLevel _minimum;

    public TestLoggerFactory(LogLevel minimum = LogLevel.Information)
    {
        _minimum = minimum;
    }

    public ILogger CreateLogger(string categoryName) => new TestLogger(_minimum);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class TestLogger(LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                TestContext.Progress.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
