using ProgMp.Engine.Logging;
using ProgMp.Engine.Reordering;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Subflows;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Sessions;

internal sealed partial class SessionCore
{
    // The current read's data to acknowledge: reads are handled one at a time under the lock.
    private readonly EchoBatch _echoes = new();

    // The streams the current read made readable, each once (StreamCore.ReaderWakeDue): bounded by the open streams.
    private readonly List<StreamCore> _readersToWake = [];

    /// <summary>A frame on an established subflow. Returns false when the session ended because of it.</summary>
    public bool OnFrameLocked(Subflow subflow, in Frame frame, long nowUs)
    {
        if (IsClosed)
        {
            return false;
        }

        switch (frame.Type)
        {
            case FrameType.Data:
                return OnData(subflow, frame.Data, nowUs);
            case FrameType.DataAck:
                return OnDataAck(subflow, frame.DataAck, nowUs);
            case FrameType.StreamOpen:
                return OnStreamOpen(subflow, frame.StreamOpen, nowUs);
            case FrameType.StreamReset:
                return OnStreamReset(subflow, frame.StreamReset);
            case FrameType.Ping:
                subflow.SendControl(new PongFrame(frame.Ping.Timestamp, nowUs, 0));
                return true;
            case FrameType.Pong:
                subflow.OnPong(frame.Pong, nowUs);
                return true;
            case FrameType.PathAdd:
                EngineLog.PeerPathChange(Logger, Name, "announced", frame.PathAdd.PathId);
                return true;
            case FrameType.PathRemove:
                OnPeerPathRemove(frame.PathRemove.PathId);
                return true;
            case FrameType.PathPriority:
                OnPeerPathPriority(frame.PathPriority.PathId, frame.PathPriority.Backup);
                return true;
            case FrameType.Close:
                EndByPeerLocked($"the peer closed the session ({frame.Close.Reason}: {frame.Close.GetMessage()})", frame.Close.Reason);
                return false;
            default:
                OnProtocolErrorLocked(subflow, new ProtocolError(ProtocolErrorReason.UnexpectedFrame, (byte)frame.Type, "A handshake frame arrived on an established subflow."));
                return false;
        }
    }

    /// <summary>The peer broke the protocol: the session ends (docs/protocol.md, section 10).</summary>
    public void OnProtocolErrorLocked(Subflow subflow, in ProtocolError error)
    {
        EngineLog.ProtocolViolation(Logger, Name, subflow.Id, error.ToString());
        EndLocked($"protocol error: {error}", CloseFrame.ForProtocolError(error), subflow);
    }

    /// <summary>
    /// After a read's frames: the data that came is acknowledged on the subflow it came by, echoing it;
    /// a subflow that answered comes back; acks may have made room, so schedule. After a read that
    /// ended the subflow or the session (<paramref name="failed"/>) nothing is answered. The readers of
    /// the streams that got data go to <paramref name="readersToWake"/>: the caller wakes them once the
    /// lock is let go, so that a woken reader does not at once wait for the lock its waker holds.
    /// </summary>
    public void EndOfReadLocked(Subflow subflow, long nowUs, bool failed, List<AsyncSignal> readersToWake)
    {
        foreach (var stream in _readersToWake)
        {
            stream.ReaderWakeDue = false;
            readersToWake.Add(stream.Readable);
        }

        _readersToWake.Clear();
        if (failed)
        {
            _echoes.Clear();
            return;
        }

        foreach (ref readonly var pending in _echoes.Pending)
        {
            SendEchoAck(subflow, pending, nowUs);
        }

        _echoes.Clear();
        if (subflow.State == SubflowState.Suspected && subflow.LastProofUs > subflow.SuspectedSinceUs)
        {
            Reinstate(subflow);
        }

        PumpLocked();
    }

    private void SendEchoAck(Subflow subflow, in PendingEcho pending, long nowUs)
    {
        if (_streams.TryGetValue(pending.StreamId, out var stream) && stream.TryCreateEchoAck(pending, nowUs, out var ack))
        {
            SendAck(subflow, stream, ack);
        }
    }

    /// <summary>Queues a DATA_ACK of the stream's on the subflow; the window it advertises counts once the subflow writes it.</summary>
    private static void SendAck(Subflow subflow, StreamCore stream, in DataAckFrame ack)
    {
        subflow.SendControl(ack);
        stream.NoteAdvertised(subflow.Control);
    }

    private bool OnData(Subflow subflow, in DataFrame frame, long nowUs)
    {
        _lastDataUs = nowUs;
        if (!_streams.TryGetValue(frame.StreamId, out var stream))
        {
            return OnDataForClosedStream(subflow, frame, nowUs);
        }

        var wakeDue = stream.ReaderWakeDue;
        var outcome = stream.OnDataLocked(frame, nowUs);
        if (!wakeDue && stream.ReaderWakeDue)
        {
            _readersToWake.Add(stream);
        }
        if ((outcome is ReceiveOutcome.Accepted or ReceiveOutcome.Duplicate) && _echoes.Add(frame, nowUs, out var displaced))
        {
            SendEchoAck(subflow, displaced, nowUs);
        }

        switch (outcome)
        {
            case ReceiveOutcome.FlowControl:
                // The windows keep the session within its buffer budget: a peer past them is what would cross it.
                Options.Limits.Counters.Hit(ResourceLimit.SessionBufferedBytes, Logger, $"session {Name}, stream {stream.Id}: data beyond the advertised window");
                OnProtocolErrorLocked(subflow, new ProtocolError(ProtocolErrorReason.FlowControl, (byte)FrameType.Data, "Data beyond the advertised right edge."));
                return false;
            case ReceiveOutcome.FinalOffset:
                OnProtocolErrorLocked(subflow, new ProtocolError(ProtocolErrorReason.FinalOffset, (byte)FrameType.Data, "Data beyond the FIN, or a second FIN elsewhere."));
                return false;
            case ReceiveOutcome.StreamSegmentLimit:
                OnResourceLimitLocked(ResourceLimit.SegmentsPerStream, $"stream {stream.Id} holds {Options.Limits.SegmentsPerStream} out-of-order segments");
                return false;
            case ReceiveOutcome.SessionSegmentLimit:
                OnResourceLimitLocked(ResourceLimit.SegmentsPerSession, $"the streams hold {Options.Limits.SegmentsPerSession} out-of-order segments");
                return false;
            default:
                if (stream.Receive.FinReceived)
                {
                    RetireIfFinishedLocked(stream);
                }

                return true;
        }
    }

    /// <summary>
    /// DATA for a stream that is not open: late data for one that ended gets the answer it would have
    /// had; data for a stream the peer never opened breaks the protocol (its STREAM_OPEN goes before it
    /// on every subflow, docs/protocol.md 8.2), and holding it would let a peer fill memory with streams
    /// nobody accepts.
    /// </summary>
    private bool OnDataForClosedStream(Subflow subflow, in DataFrame frame, long nowUs)
    {
        var id = frame.StreamId;
        if (StreamIds.IsOpenedBy(id, IsClient))
        {
            if (!CheckUnknownStream(subflow, id, FrameType.Data))
            {
                return false;
            }
        }
        else if (id > _ended.HighestPeerOpened)
        {
            Options.Limits.Counters.Hit(ResourceLimit.UnopenedStream, Logger, $"session {Name}: DATA for stream {id}, which the peer never opened");
            OnProtocolErrorLocked(subflow, new ProtocolError(ProtocolErrorReason.StreamIdNotAllowed, (byte)FrameType.Data, "DATA for a stream that was never opened."));
            return false;
        }

        if (_ended.TryGetReset(id, out var reason))
        {
            // The sender may not have heard the reset (it died with a subflow): say it again.
            subflow.SendControl(new StreamResetFrame(id, reason));
        }
        else
        {
            AcknowledgeLateData(subflow, frame, nowUs);
        }

        return true;
    }

    /// <summary>The peer made the session reach a bound: it ends with CLOSE(ResourceLimit), counted and logged.</summary>
    private void OnResourceLimitLocked(ResourceLimit limit, string detail)
    {
        Options.Limits.Counters.Hit(limit, Logger, $"session {Name}: {detail}");
        EndLocked($"resource limit {limit}: {detail}", new CloseFrame(Wire.CloseReason.ResourceLimit, message: $"{limit}: {detail}"), only: null);
    }

    /// <summary>
    /// A copy for a stream that has ended here cleanly. The sender sends it again because it never
    /// heard our acknowledgement (lost with a subflow that died): without an answer it would wait for
    /// ever. The stream ended with all its data received (or dropped by a reader that closed), so
    /// everything up to this frame's end is truly done with; window 0, nothing more is taken.
    /// </summary>
    private static void AcknowledgeLateData(Subflow subflow, in DataFrame frame, long nowUs)
    {
        var end = frame.Seq + frame.Length + (frame.Fin ? 1 : 0);
        subflow.SendControl(new DataAckFrame(frame.StreamId, end, 0, nowUs));
    }

    private bool OnDataAck(Subflow subflow, in DataAckFrame frame, long nowUs)
    {
        if (!_streams.TryGetValue(frame.StreamId, out var stream))
        {
            return CheckUnknownStream(subflow, frame.StreamId, FrameType.DataAck);
        }

        // An echo of data that came over this subflow is a round trip on it: the subflow's figures first,
        // then the stream credits the echoed packets to it. Any other echo (a copy of the ack that went
        // another way, or one older than the subflow) says nothing about this path.
        var carrierSlot = -1;
        if (frame.HasEcho && frame.Echo.SubflowId == (ushort)subflow.Id && frame.Echo.Timestamp >= subflow.EstablishedUs)
        {
            subflow.OnRoundTrip(frame.Echo.Timestamp, frame.Echo.HoldTime, frame.Timestamp, nowUs);
            carrierSlot = subflow.Slot;
        }

        var effects = stream.OnDataAckLocked(frame, carrierSlot, nowUs);
        if ((effects & AckEffects.WindowOpened) != 0)
        {
            OnPeerWindowOpenedLocked(stream);
        }

        if ((effects & AckEffects.SendCompleted) != 0)
        {
            OnSendCompletedLocked();
        }

        if (stream.HasSendWork)
        {
            Activate(stream);
        }

        if (stream.FinAcked)
        {
            RetireIfFinishedLocked(stream);
        }

        return true;
    }

    private bool OnStreamOpen(Subflow subflow, in StreamOpenFrame frame, long nowUs)
    {
        var id = frame.StreamId;
        if (StreamIds.IsOpenedBy(id, IsClient))
        {
            OnProtocolErrorLocked(subflow, new ProtocolError(ProtocolErrorReason.StreamIdNotAllowed, (byte)FrameType.StreamOpen, "STREAM_OPEN with an id of ours."));
            return false;
        }

        if (_streams.TryGetValue(id, out var open))
        {
            if (!SameDestination(open.Destination, frame.Destination))
            {
                OnProtocolErrorLocked(subflow, new ProtocolError(ProtocolErrorReason.StreamIdNotAllowed, (byte)FrameType.StreamOpen, "A second STREAM_OPEN with another destination."));
                return false;
            }

            return true;
        }

        if (!_ended.TryOpenPeerStream(id))
        {
            // A copy sent again on another subflow, for a stream that has ended since.
            return true;
        }

        if (_streams.Count >= Options.Limits.StreamsPerSession)
        {
            Options.Limits.Counters.Hit(ResourceLimit.StreamsPerSession, Logger, $"session {Name}: stream {id} refused, {_streams.Count} are open");
            subflow.SendControl(new StreamResetFrame(id, StreamResetReason.Refused));
            _ended.Aborted(id, StreamResetReason.Refused);
            return true;
        }

        var stream = NewStream(id, openedLocally: false, Own(frame.Destination), PeerInitialWindow);
        stream.OpenReceived = true;
        stream.OpenConfirmed = true;
        SendAck(subflow, stream, stream.CreateAck(nowUs));
        stream.Announced = true;
        _accepted.Writer.TryWrite(stream);
        return true;
    }

    private bool OnStreamReset(Subflow subflow, in StreamResetFrame frame)
    {
        if (!_streams.TryGetValue(frame.StreamId, out var stream))
        {
            return CheckUnknownStream(subflow, frame.StreamId, FrameType.StreamReset);
        }

        EndStreamLocked(stream, frame.Reason, byPeer: true);
        if (!stream.Announced && !stream.OpenedLocally)
        {
            stream.Announced = true;
        }

        return true;
    }

    /// <summary>A frame names a stream we do not have: fine if it is ours and ended, a protocol error if we never opened it.</summary>
    private bool CheckUnknownStream(Subflow subflow, uint id, FrameType type)
    {
        if (StreamIds.IsOpenedBy(id, IsClient) && id >= _nextLocalStreamId)
        {
            OnProtocolErrorLocked(subflow, new ProtocolError(ProtocolErrorReason.StreamIdNotAllowed, (byte)type, "The frame names a stream of ours that was never opened."));
            return false;
        }

        return true;
    }

    private static bool SameDestination(in Destination a, in Destination b) =>
        a.Kind == b.Kind && a.Port == b.Port && a.ToString() == b.ToString();

    /// <summary>A copy of a decoded destination that owns its host name (the decoder's one is borrowed).</summary>
    private static Destination Own(in Destination destination) =>
        destination.Kind == DestinationKind.HostName
            ? Destination.FromHostName(destination.GetHostName(), destination.Port)
            : destination;
}
