using ProgMp.Engine.Subflows;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Sessions;

/// <summary>
/// A STREAM_RESET of ours that the peer is not yet known to have: it went out on <see cref="Carrier"/>
/// (or nowhere, when no subflow was there) at <see cref="QueuedUs"/>, and counts as arrived once that
/// subflow answers a ping written after it.
/// </summary>
internal readonly record struct PendingReset(uint StreamId, StreamResetReason Reason, Subflow? Carrier, long QueuedUs);
