using System.Globalization;
using System.Text;

namespace ProgMp.Engine;

/// <summary>
/// A subflow in <c>SUBFLOWS</c> as a traced decision saw it: the figures the program could read,
/// named as in <see cref="SubflowStatistics"/> (the language's names in the docs of each).
/// </summary>
public sealed record TracedSubflow
{
    /// <summary><c>ID</c>.</summary>
    public required long Id { get; init; }

    /// <summary><c>RTT</c>, microseconds.</summary>
    public long RttMicroseconds { get; init; }

    /// <summary><c>RTT_VAR</c>, microseconds.</summary>
    public long RttVarMicroseconds { get; init; }

    /// <summary><c>DELAY_OUT</c>, microseconds.</summary>
    public long DelayOutMicroseconds { get; init; }

    /// <summary><c>DELAY_IN</c>, microseconds.</summary>
    public long DelayInMicroseconds { get; init; }

    /// <summary><c>CWND</c>, packets.</summary>
    public long CongestionWindow { get; init; }

    /// <summary><c>SSTHRESH</c>, packets.</summary>
    public long SlowStartThreshold { get; init; }

    /// <summary><c>SKBS_IN_FLIGHT</c>: packets sent and not yet acknowledged.</summary>
    public long InFlight { get; init; }

    /// <summary><c>QUEUED</c>: packets pushed to the subflow and not yet written to its socket.</summary>
    public long Queued { get; init; }

    /// <summary><c>LOST_SKBS</c>.</summary>
    public long LostPackets { get; init; }

    /// <summary><c>BW_OUT_SEND</c>: bytes sent over the last second.</summary>
    public long SendBytesLastSecond { get; init; }

    /// <summary><c>BW_OUT_ACK</c>: bytes acknowledged over the last second.</summary>
    public long AckedBytesLastSecond { get; init; }

    /// <summary><c>USER</c>: the stream's user value for this subflow.</summary>
    public long User { get; init; }

    /// <summary><c>IS_BACKUP</c>.</summary>
    public bool IsBackup { get; init; }

    /// <summary><c>THROTTLED</c>: the subflow would take no more data.</summary>
    public bool Throttled { get; init; }

    /// <summary><c>LOSSY</c>.</summary>
    public bool Lossy { get; init; }

    /// <summary>The subflow as the trace table shows it: <c>ID: RTT in flight+queued/cwnd</c> and its flags, like <c>2: 20.10ms 4+1/10 backup</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Id}: {RttMicroseconds / 1000.0:F2}ms {InFlight}+{Queued}/{CongestionWindow}");
        if (IsBackup)
        {
            text.Append(" backup");
        }

        if (Throttled)
        {
            text.Append(" throttled");
        }

        if (Lossy)
        {
            text.Append(" lossy");
        }

        return text.ToString();
    }
}
