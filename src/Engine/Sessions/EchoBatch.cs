using System.Runtime.InteropServices;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Sessions;

/// <summary>
/// The data frames of one read from a subflow that acknowledgements will echo (docs/protocol.md 8.4),
/// one range per stream. Frames of a read that follow each other in seq share one echo (up to a data
/// frame's largest payload); a gap displaces the range so far, to be acknowledged at once. Every frame
/// is thus echoed: one behind a hole is acknowledged now, not when the hole fills, and the sender stops
/// counting it in flight. Holds at most one range per open stream.
/// </summary>
internal sealed class EchoBatch
{
    private readonly List<PendingEcho> _pending = [];

    /// <summary>The ranges to acknowledge at the end of the read.</summary>
    public ReadOnlySpan<PendingEcho> Pending => CollectionsMarshal.AsSpan(_pending);

    /// <summary>Notes a data frame; true with the range it displaced when it does not extend the stream's range.</summary>
    public bool Add(in DataFrame frame, long arrivalUs, out PendingEcho displaced)
    {
        var echo = new PendingEcho(frame.StreamId, frame.Seq, frame.Length, frame.Timestamp, frame.SubflowId, arrivalUs);
        for (var i = 0; i < _pending.Count; i++)
        {
            var pending = _pending[i];
            if (pending.StreamId != frame.StreamId)
            {
                continue;
            }

            if (frame.Length > 0 && pending.Length > 0 && frame.Seq == pending.Seq + pending.Length
                && pending.Length + frame.Length <= WireFormat.MaxDataPayload)
            {
                // The range keeps its start; timestamp and subflow id are the latest frame's, for the RTT sample.
                _pending[i] = echo with { Seq = pending.Seq, Length = pending.Length + frame.Length };
                displaced = default;
                return false;
            }

            displaced = pending;
            _pending[i] = echo;
            return true;
        }

        _pending.Add(echo);
        displaced = default;
        return false;
    }

    public void Clear() => _pending.Clear();
}
