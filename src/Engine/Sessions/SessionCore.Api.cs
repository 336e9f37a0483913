using ProgMp.Engine.Streams;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Sessions;

/// <summary>
/// What the public types (<see cref="MultipathStream"/>, <see cref="MultipathSession"/>,
/// <see cref="MultipathListener"/>) ask of a session. Each method takes the session's lock itself, so
/// the public types never hold it and never see the state it guards.
/// </summary>
internal sealed partial class SessionCore
{
    public StreamCore? FindStream(uint id)
    {
        lock (Gate)
        {
            return _streams.GetValueOrDefault(id);
        }
    }

    public string SchedulerNameOf(StreamCore stream)
    {
        lock (Gate)
        {
            return stream.Scheduler.Name;
        }
    }

    /// <summary>The stream runs the scheduler <paramref name="name"/> from its next decision (the caller checked it is loaded).</summary>
    public void SetScheduler(StreamCore stream, string name)
    {
        lock (Gate)
        {
            SetSchedulerLocked(stream, name);
        }
    }

    /// <summary>As <see cref="SetScheduler(StreamCore, string)"/> for the open stream <paramref name="streamId"/>; false if there is none.</summary>
    public bool SetScheduler(uint streamId, string name)
    {
        lock (Gate)
        {
            if (!_streams.TryGetValue(streamId, out var stream))
            {
                return false;
            }

            SetSchedulerLocked(stream, name);
            return true;
        }
    }

    public void SetRegister(StreamCore stream, int register, long value)
    {
        lock (Gate)
        {
            SetRegisterLocked(stream, register, value);
        }
    }

    /// <summary>As <see cref="SetRegister(StreamCore, int, long)"/> for the open stream <paramref name="streamId"/>; false if there is none.</summary>
    public bool SetRegister(uint streamId, int register, long value)
    {
        lock (Gate)
        {
            if (!_streams.TryGetValue(streamId, out var stream))
            {
                return false;
            }

            SetRegisterLocked(stream, register, value);
            return true;
        }
    }

    public long GetRegister(StreamCore stream, int register)
    {
        lock (Gate)
        {
            return stream.State.Registers[register - 1];
        }
    }

    public long GetUserValue(StreamCore stream)
    {
        lock (Gate)
        {
            return stream.NextUser;
        }
    }

    public void SetUserValue(StreamCore stream, long value)
    {
        lock (Gate)
        {
            stream.NextUser = value;
        }
    }

    public void StopTrace(StreamCore stream)
    {
        lock (Gate)
        {
            StopTraceLocked(stream);
        }
    }

    /// <summary>Stops the open stream's decision trace; false if there is no such stream.</summary>
    public bool StopTrace(uint streamId)
    {
        lock (Gate)
        {
            if (!_streams.TryGetValue(streamId, out var stream))
            {
                return false;
            }

            StopTraceLocked(stream);
            return true;
        }
    }

    public StreamStatistics DescribeStream(StreamCore stream)
    {
        lock (Gate)
        {
            return DescribeLocked(stream);
        }
    }

    /// <summary>Ends the stream's sending direction (FIN), unless it was reset.</summary>
    public void CompleteWrites(StreamCore stream)
    {
        lock (Gate)
        {
            if (!stream.IsReset)
            {
                FinishWritesLocked(stream);
            }
        }
    }

    /// <summary>Everything written, and the FIN if writes were completed, is acknowledged.</summary>
    /// <exception cref="StreamResetException">The stream was reset.</exception>
    public bool IsFullyAcknowledged(StreamCore stream)
    {
        lock (Gate)
        {
            ThrowIfResetLocked(stream);
            return stream.UnackedBytes == 0 && (!stream.FinQueued || stream.FinAcked);
        }
    }

    public void ResetStream(StreamCore stream, StreamResetReason reason)
    {
        lock (Gate)
        {
            ResetStreamLocked(stream, reason);
        }
    }

    public StreamResetReason? ResetReasonOf(StreamCore stream)
    {
        lock (Gate)
        {
            return stream.ResetReason;
        }
    }

    /// <summary>
    /// The application let go of the stream: it stops reading, completes its writes if
    /// <paramref name="graceful"/>, and lingers until its data is delivered.
    /// </summary>
    public void CloseStream(StreamCore stream, bool graceful)
    {
        lock (Gate)
        {
            if (stream.IsReset)
            {
                // What a stream kept readable after its session ended goes back to the pool now.
                stream.Receive.Release();
                return;
            }

            if (graceful)
            {
                FinishWritesLocked(stream);
            }

            CloseReadLocked(stream);
            LingerLocked(stream);
        }
    }

    /// <summary>Ends the session and tells the peer why (CLOSE with <paramref name="closeReason"/>).</summary>
    public void End(string reason, CloseReason closeReason)
    {
        lock (Gate)
        {
            EndLocked(reason, sendClose: true, closeReason);
        }
    }

    /// <summary>Throws what the application sees of a reset stream: who reset it and why, or that the session ended.</summary>
    public void ThrowIfResetLocked(StreamCore stream)
    {
        if (stream.ResetReason is not { } reason)
        {
            return;
        }

        var why = IsClosed ? "its session ended: " + CloseReason
            : stream.ResetByPeer ? $"the peer reset it ({reason})" : $"it was reset ({reason})";
        throw new StreamResetException((ResetReason)reason, stream.ResetByPeer, $"Stream {stream.Id}: {why}.");
    }
}
