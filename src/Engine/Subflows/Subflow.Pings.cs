using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Subflows;

internal sealed partial class Subflow
{
    private readonly PingLedger _pings = new();

    /// <summary>Sends a PING stamped <paramref name="nowUs"/> and remembers it, so that its PONG can be recognised.</summary>
    public void SendPing(long nowUs)
    {
        LastPingSentUs = nowUs;
        PingOutstanding = true;
        _pings.Sent(nowUs);
        SendControl(new PingFrame(nowUs));
    }

    /// <summary>
    /// A PONG arrived. Only the answer to a ping of ours proves the path works, and only the first
    /// answer: anything else is ignored (false).
    /// </summary>
    public bool OnPong(in PongFrame frame, long nowUs)
    {
        if (!_pings.TryAnswer(frame.EchoTimestamp))
        {
            return false;
        }

        PingOutstanding = false;
        LastPongEchoUs = Math.Max(LastPongEchoUs, frame.EchoTimestamp);
        OnRoundTrip(frame.EchoTimestamp, frame.HoldTime, frame.Timestamp, nowUs);
        return true;
    }
}
