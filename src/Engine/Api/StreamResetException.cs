namespace ProgMp.Engine;

/// <summary>A read or write on a stream that was reset, by the peer or locally, or whose session ended.</summary>
public sealed class StreamResetException : IOException
{
    /// <summary>A reset for <paramref name="reason"/>, made by the peer if <paramref name="byPeer"/>, described by <paramref name="message"/>.</summary>
    public StreamResetException(ResetReason reason, bool byPeer, string message)
        : base(message)
    {
        Reason = reason;
        ByPeer = byPeer;
    }

    /// <summary>A reset with no details (<see cref="ResetReason"/>'s default reason).</summary>
    public StreamResetException()
    {
    }

    /// <summary>A reset described by <paramref name="message"/>.</summary>
    public StreamResetException(string message)
        : base(message)
    {
    }

    /// <summary>A reset described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public StreamResetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The reason the reset carried.</summary>
    public ResetReason Reason { get; }

    /// <summary>The peer reset the stream (rather than this side, or the end of the session).</summary>
    public bool ByPeer { get; }
}
