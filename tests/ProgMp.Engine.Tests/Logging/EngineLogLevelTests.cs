using Microsoft.Extensions.Logging;
using ProgMp.Engine.Logging;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Logging;

/// <summary>
/// Warning is for what an operator must act on; what an ordinary transfer does now and then (a subflow
/// suspected by the deliberately short data-level timeout, and answering again) is information.
/// </summary>
public class EngineLogLevelTests
{
    public static IEnumerable<TestCaseData> Events()
    {
        yield return new TestCaseData((Action<ILogger>)(l => EngineLog.SubflowSuspected(l, "s", 1, 50, 3)), LogLevel.Information).SetArgDisplayNames("subflow suspected");
        yield return new TestCaseData((Action<ILogger>)(l => EngineLog.SubflowRecovered(l, "s", 1)), LogLevel.Information).SetArgDisplayNames("subflow answers again");
        yield return new TestCaseData((Action<ILogger>)(l => EngineLog.SubflowDead(l, "s", 1, "reset by the peer", 3)), LogLevel.Warning).SetArgDisplayNames("subflow closed");
        yield return new TestCaseData((Action<ILogger>)(l => EngineLog.NoScheduler(l, "s", 3, "gone", "minRtt")), LogLevel.Warning).SetArgDisplayNames("no scheduler");
    }

    [TestCaseSource(nameof(Events))]
    public void Each_event_logs_at_the_level_its_reader_needs(Action<ILogger> log, LogLevel level)
    {
        var logger = new RecordingLogger();

        log(logger);

        Assert.That(logger.Entries.Single().Level, Is.EqualTo(level));
    }
}
