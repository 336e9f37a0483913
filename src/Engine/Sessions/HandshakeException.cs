using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Sessions;

/// <summary>A setup or join that did not complete: the connection is refused, no session is touched.</summary>
internal sealed class HandshakeException : Exception
{
    public HandshakeException(string message, CloseFrame? reply)
        : base(message)
    {
        Reply = reply;
    }

    public HandshakeException()
    {
    }

    public HandshakeException(string message)
        : base(message)
    {
    }

    public HandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The CLOSE to send before closing the connection, if any.</summary>
    public CloseFrame? Reply { get; }

    /// <summary>The bound the peer reached, when the refusal is one (counted by the listener).</summary>
    public ResourceLimit? Limit { get; init; }

    /// <summary>The reason the peer gave when it refused the handshake with CLOSE, if it did.</summary>
    public CloseReason? PeerReason { get; init; }
}
