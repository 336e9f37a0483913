using ProgMp.Engine.Logging;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Tracing;

namespace ProgMp.Engine.Sessions;

/// <summary>A stream's decision trace: on, off, and a copy of what it holds.</summary>
internal sealed partial class SessionCore
{
    private static readonly DecisionTrace s_noTrace = new() { IsRecording = false, Capacity = 0, Recorded = 0, Decisions = [] };

    /// <summary>Starts <paramref name="recorder"/> (made outside the lock: it may be large) as the stream's trace, in place of any earlier one.</summary>
    public void StartTraceLocked(StreamCore stream, DecisionRecorder recorder)
    {
        stream.Trace?.Stop();
        stream.Trace = recorder;
        TraceLog.TraceStarted(Logger, Name, stream.Id, recorder.Capacity);
    }

    /// <summary>Stops the stream's trace; what it recorded stays readable until it is started again.</summary>
    public void StopTraceLocked(StreamCore stream)
    {
        if (stream.Trace is { IsRecording: true } trace)
        {
            trace.Stop();
            TraceLog.TraceStopped(Logger, Name, stream.Id, trace.Recorded);
        }
    }

    public static DecisionTrace DescribeTraceLocked(StreamCore stream, int last) => stream.Trace?.Snapshot(last) ?? s_noTrace;
}
