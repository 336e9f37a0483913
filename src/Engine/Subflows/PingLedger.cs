namespace ProgMp.Engine.Subflows;

/// <summary>
/// The timestamps of a subflow's latest pings that no pong has answered yet, so that only a pong
/// echoing one of them counts as proof that the path works: a peer that never reads cannot know them,
/// and forged pongs no longer keep a dead subflow alive. A few are kept, because a suspected subflow
/// is pinged again before a slow answer to the previous ping arrives.
/// </summary>
internal sealed class PingLedger
{
    private const int Kept = 8;

    private readonly long[] _sent = new long[Kept];
    private int _next;

    /// <summary>A ping with this timestamp went out; the oldest one remembered is forgotten when all slots are taken.</summary>
    public void Sent(long timestampUs)
    {
        _sent[_next] = timestampUs;
        _next = (_next + 1) % Kept;
    }

    /// <summary>True (once) when <paramref name="echoedUs"/> is the timestamp of a ping still unanswered.</summary>
    public bool TryAnswer(long echoedUs)
    {
        // Timestamps are positive microseconds; 0 marks a free or answered slot.
        if (echoedUs <= 0)
        {
            return false;
        }

        var slot = Array.IndexOf(_sent, echoedUs);
        if (slot < 0)
        {
            return false;
        }

        _sent[slot] = 0;
        return true;
    }
}
