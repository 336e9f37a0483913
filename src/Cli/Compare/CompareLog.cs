using Microsoft.Extensions.Logging;

namespace ProgMp.Cli.Compare;

/// <summary>The log messages of <c>progmp compare</c> (event ids 320–339; never reuse one).</summary>
internal static partial class CompareLog
{
    [LoggerMessage(320, LogLevel.Information, "{Scheduler} on {Scenario}, repeat {Repeat}: started")]
    public static partial void RunStarted(ILogger logger, string scheduler, string scenario, int repeat);

    [LoggerMessage(321, LogLevel.Information, "{Scheduler} on {Scenario}, repeat {Repeat}: at {Milliseconds} ms, {Event}")]
    public static partial void EventApplied(ILogger logger, string scheduler, string scenario, int repeat, long milliseconds, string @event);

    [LoggerMessage(322, LogLevel.Warning, "{Scheduler} on {Scenario}, repeat {Repeat}: {Problem}")]
    public static partial void RunIncomplete(ILogger logger, string scheduler, string scenario, int repeat, string problem);

    [LoggerMessage(323, LogLevel.Warning, "Server side of flow {Flow} failed unexpectedly; the run goes on without it")]
    public static partial void ServerFlowFailed(ILogger logger, int flow, Exception exception);

    [LoggerMessage(324, LogLevel.Warning, "Event '{Event}' could not be applied; the run goes on without it")]
    public static partial void EventFailed(ILogger logger, string @event, Exception exception);

    [LoggerMessage(325, LogLevel.Warning, "The server's accept loop failed unexpectedly and goes on")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(326, LogLevel.Warning, "Workload {Workload} failed unexpectedly; the run goes on without it")]
    public static partial void WorkloadFailed(ILogger logger, string workload, Exception exception);

    [LoggerMessage(327, LogLevel.Warning, "Closing the run's sessions took longer than {Seconds} s; they are left to close in the background")]
    public static partial void CloseSlow(ILogger logger, double seconds);
}
