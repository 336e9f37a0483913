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

    /// <summary>A PONG arrived: true when it answers a ping this subflow sent and no other pong answered yet.</summary>
    public bool TryAcceptPong(in PongFrame frame) => _pings.TryAnswer(frame.EchoTimestamp);
}
