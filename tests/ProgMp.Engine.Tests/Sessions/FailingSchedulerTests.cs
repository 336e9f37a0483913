using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ProgMp.Engine.Tests.Support;
using ProgMp.Runtime;

namespace ProgMp.Engine.Tests.Sessions;

/// <summary>
/// A scheduler that throws resets the streams it runs with <see cref="ResetReason.InternalError"/>,
/// which both sides see, logged once with the program's name; the session and its other streams go on.
/// </summary>
public class FailingSchedulerTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task A_scheduler_that_throws_resets_its_streams_and_says_so_once(CancellationToken ct)
    {
        var options = EngineTestKit.Options();
        options.Registry.Set(new SchedulerProgram("thrower", "", null, [], _ => throw new InvalidOperationException("a broken program")));
        var logs = new CountingLoggerFactory();
        await using var listener = EngineTestKit.StartListener(options);
        await using var client = await MultipathClient.ConnectAsync([new MultipathPath(listener.LocalEndPoints[0])], options, logs, ct);
        await using var server = await listener.AcceptSessionAsync(ct);

        var failing = new List<(MultipathStream Client, MultipathStream Server)>();
        for (var i = 0; i < 2; i++)
        {
            var stream = client.OpenStream();
            stream.SetScheduler("thrower");
            failing.Add((stream, await server.AcceptStreamAsync(ct)));
        }

        var healthy = client.OpenStream();
        var healthyServer = await server.AcceptStreamAsync(ct);
        foreach (var (stream, _) in failing)
        {
            await stream.WriteAsync(new byte[1000], ct);
        }

        foreach (var (stream, peer) in failing)
        {
            var local = Assert.ThrowsAsync<StreamResetException>(async () => await stream.WriteAsync(new byte[1], ct));
            Assert.That(local!.Reason, Is.EqualTo(ResetReason.InternalError));
            var remote = Assert.ThrowsAsync<StreamResetException>(async () => await EngineTestKit.ReceiveAllAsync(peer, ct));
            Assert.That(remote!.Reason, Is.EqualTo(ResetReason.InternalError));
        }

        var data = EngineTestKit.Bytes(200_000, 31);
        var received = EngineTestKit.ReceiveAllAsync(healthyServer, ct);
        await EngineTestKit.SendAllAsync(healthy, data, ct);
        Assert.That((await received).Hash, Is.EqualTo(SHA256.HashData(data)), "another stream of the session");
        Assert.That(logs.Count(161, "thrower"), Is.EqualTo(1), "logged once, with the program's name");
    }

    /// <summary>Counts log lines by event id and text.</summary>
    private sealed class CountingLoggerFactory : ILoggerFactory, ILogger
    {
        private readonly List<(int Id, string Text)> _lines = [];

        public int Count(int eventId, string containing)
        {
            lock (_lines)
            {
                return _lines.Count(l => l.Id == eventId && l.Text.Contains(containing, StringComparison.Ordinal));
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add((eventId.Id, formatter(state, exception)));
            }
        }
    }
}
