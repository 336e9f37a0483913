using ProgMp.Engine.Logging;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Tracing;

namespace ProgMp.Engine.Sessions;

/// <summary>
/// A stream's decision trace: on, off, and a copy of what it holds. What may be large (a ring, a copy
/// of one, the records made from it) is made outside the session's lock, which is held only to look
/// up, check and swap in, or to copy raw entries: the session's acks, pings and sends wait for no more.
/// </summary>
internal sealed partial class SessionCore
{
    private static readonly DecisionTrace s_noTrace = new() { IsRecording = false, Capacity = 0, Recorded = 0, Decisions = [] };

    /// <summary>
    /// Starts a trace of <paramref name="capacity"/> decisions, in place of any earlier one, for
    /// <paramref name="stream"/> or, when it is null, for the open stream <paramref name="streamId"/>;
    /// false (and nothing allocated) if there is no such stream.
    /// </summary>
    /// <exception cref="InvalidOperationException">The session's traces would keep more than <see cref="MultipathLimits.TracedDecisionsPerSession"/> decisions.</exception>
    public bool StartTrace(StreamCore? stream, uint streamId, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, DecisionTrace.MaxCapacity);
        lock (Gate)
        {
            if ((stream ?? FindStreamLocked(streamId)) is not { } target)
            {
                return false;
            }

            CheckTraceBudgetLocked(target, capacity);
        }

        var recorder = DecisionRecorder.StartNow(capacity);
        lock (Gate)
        {
            // Checked again: the stream may have ended, or another trace started, while the ring was made.
            if ((stream ?? FindStreamLocked(streamId)) is not { } target)
            {
                return false;
            }

            CheckTraceBudgetLocked(target, capacity);
            target.Trace?.Stop();
            target.Trace = recorder;
            TraceLog.TraceStarted(Logger, Name, target.Id, recorder.Capacity);
            return true;
        }
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

    /// <summary>A copy of the newest <paramref name="last"/> decisions of the stream's trace; takes the lock only to copy raw entries.</summary>
    public DecisionTrace DescribeTrace(StreamCore stream, int last)
    {
        while (true)
        {
            DecisionRecorder? recorder;
            lock (Gate)
            {
                recorder = stream.Trace;
            }

            if (recorder is null)
            {
                return s_noTrace;
            }

            var copy = recorder.PrepareCopy(last);
            lock (Gate)
            {
                // A trace started again meanwhile has another ring, maybe of another size: prepare for that one.
                if (!ReferenceEquals(stream.Trace, recorder))
                {
                    continue;
                }

                recorder.CopyTo(copy);
            }

            return copy.Describe();
        }
    }

    private void CheckTraceBudgetLocked(StreamCore target, int capacity)
    {
        long kept = 0;
        foreach (var stream in _streams.Values)
        {
            // The target's ring is about to be replaced, so it does not count.
            if (stream != target && stream.Trace is { } trace)
            {
                kept += trace.Capacity;
            }
        }

        var limit = Options.Limits.TracedDecisionsPerSession;
        if (kept + capacity > limit)
        {
            throw new InvalidOperationException(
                $"A trace of {capacity} decisions for stream {target.Id} would take the traces of session {Name} past {limit} decisions (MultipathLimits.TracedDecisionsPerSession): its other streams' traces keep {kept}, stopped ones included.");
        }
    }
}
