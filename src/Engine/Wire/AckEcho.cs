using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// What a <see cref="DataAckFrame"/> repeats of the data frame that triggered it, so the data sender
/// learns which transmission arrived (a one-range selective ack) and gets an RTT sample for the
/// subflow that carried it: <c>now − Timestamp − HoldTime</c>.
/// </summary>
/// <param name="Seq">The data frame's <see cref="DataFrame.Seq"/>.</param>
/// <param name="Length">The data frame's payload length.</param>
/// <param name="Timestamp">The data frame's <see cref="DataFrame.Timestamp"/>, the data sender's clock.</param>
/// <param name="SubflowId">The data frame's <see cref="DataFrame.SubflowId"/>.</param>
/// <param name="HoldTime">Microseconds between the data frame's arrival and the ack's sending.</param>
internal readonly record struct AckEcho(long Seq, int Length, long Timestamp, ushort SubflowId, uint HoldTime)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"seq={Seq} length={Length} ts={Timestamp} subflow={SubflowId} hold={HoldTime}");
}
