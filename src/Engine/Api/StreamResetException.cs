namespace ProgMp.Engine;

/// <summary>A read or write on a stream that was reset, by the peer or locally, or whose session ended.</summary>
public sealed class StreamResetException : IOException
{
    public StreamResetException(ResetReason reason, bool byPeer, string message)
        : base(message)
    {
        Reason = reason;
        ByPeer = byPeer;
    }

    public StreamResetException()
    {
    }

    public StreamResetException(string message)
        : base(message)
    {
    }

    public StreamResetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The reason the reset carried.</summary>
    public ResetReason Reason { get; }

    /// <summary>The peer reset the stream (rather than this side, or the end of the session).</summary>
    public bool ByPeer { get; }
}
