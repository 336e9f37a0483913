using ProgMp.Engine.Accounting;
using ProgMp.Engine.Logging;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Subflows;
using ProgMp.Engine.Timing;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Sessions;

internal sealed partial class SessionCore
{
    private readonly List<OutboundPacket> _reinjectScratch = [];

    private bool PendingControl(Subflow subflow)
    {
        lock (Gate)
        {
            return subflow.Control.Pending > 0;
        }
    }

    /// <summary>The subflows that are not dead, in the order they joined.</summary>
    public IReadOnlyList<Subflow> Subflows => _subflows;

    public IEnumerable<StreamCore> Streams => _streams.Values;

    /// <summary>
    /// Makes a connection whose handshake is done a subflow of the session and starts its loops.
    /// Returns null when the session is over or has no free slot (the caller closes the socket). With
    /// <paramref name="acceptJoin"/>, JOIN_ACCEPT is the subflow's first frame.
    /// </summary>
    public Subflow? Attach(SubflowTransport transport, byte clientPathId, bool backup, bool acceptJoin = false)
    {
        lock (Gate)
        {
            if (IsClosed)
            {
                return null;
            }

            var slot = Array.IndexOf(_slots, null);
            if (slot < 0)
            {
                return null;
            }

            ClearSlot(slot);
            var now = MonotonicClock.NowMicroseconds;
            var subflow = new Subflow(this, transport, _nextSubflowId++, slot, clientPathId, 0, backup, Options.PacketSize, now);
            if (acceptJoin)
            {
                subflow.SendControl(default(JoinAcceptFrame));
            }

            _slots[slot] = subflow;
            _subflows.Add(subflow);
            _available.Add(subflow.View);
            _sessionMask |= subflow.View.Bit;
            EngineLog.SubflowEstablished(Logger, Name, subflow.Id, subflow.LocalEndPoint?.ToString(), subflow.RemoteEndPoint?.ToString(), clientPathId, backup ? ", backup" : "");
            ResendSignallingLocked(subflow, opens: true);
            subflow.Start();
            Ping(subflow, now);
            ActivateAll();
            PumpLocked();
            return subflow;
        }
    }

    /// <summary>Packets a dead subflow carried may still name its slot: they forget it before the slot means another subflow.</summary>
    private void ClearSlot(int slot)
    {
        foreach (var stream in _streams.Values)
        {
            SendLedger.ForgetSlot(slot, [stream.State.Q, stream.State.QU, stream.State.RQ]);
        }
    }

    /// <summary>The lowest-RTT subflow that answers: where window updates and resets go.</summary>
    public Subflow? BestSubflow()
    {
        Subflow? best = null;
        foreach (var subflow in _subflows)
        {
            if (subflow.State == SubflowState.Active && (best is null || subflow.Account.Rtt.SmoothedUs < best.Account.Rtt.SmoothedUs))
            {
                best = subflow;
            }
        }

        return best ?? (_subflows.Count > 0 ? _subflows[0] : null);
    }

    public void OnSubflowDrainedLocked(Subflow subflow)
    {
        WatchInFlightLocked(subflow);
        PumpLocked();
    }

    /// <summary>The peer's window for a stream grew: queues waiting on it may send, and the scheduler may push more.</summary>
    private void OnPeerWindowOpenedLocked(StreamCore stream)
    {
        foreach (var subflow in _subflows)
        {
            if (subflow.Account.Queued > 0)
            {
                subflow.Wake();
            }
        }

        Activate(stream);
    }

    /// <summary>No answer within the data-level timeout: out of SUBFLOWS; what only it carried goes to RQ.</summary>
    private void Suspect(Subflow subflow, long nowUs, long timeoutUs)
    {
        subflow.Suspect(nowUs);
        _available.Remove(subflow.View);
        var moved = Reinject(subflow);
        EngineLog.SubflowSuspected(Logger, Name, subflow.Id, timeoutUs / 1000, moved);
        Ping(subflow, nowUs);
        HealLocked();
        PumpLocked();
    }

    private void Reinstate(Subflow subflow)
    {
        subflow.Reinstate();
        _available.Add(subflow.View);
        EngineLog.SubflowRecovered(Logger, Name, subflow.Id);
        ActivateAll();
    }

    /// <summary>
    /// Takes back what the subflow holds: its queue, and the copies it carried that nobody acknowledged.
    /// A packet whose every copy is now on failed subflows goes to RQ, even if the program dropped its
    /// RQ copy before (DESIGN.md: nothing is lost by a program's choices). Returns how many went.
    /// </summary>
    private int Reinject(Subflow subflow)
    {
        _reinjectScratch.Clear();
        subflow.DrainQueue(_reinjectScratch);
        SendLedger.TakeBackInFlight(subflow.Account, _reinjectScratch);
        var liveMask = 0UL;
        foreach (var other in _subflows)
        {
            if (other.State == SubflowState.Active)
            {
                liveMask |= other.View.Bit;
            }
        }

        // The receiver waits for the lowest sequence number first: that is what goes first.
        _reinjectScratch.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        var moved = 0;
        foreach (var packet in _reinjectScratch)
        {
            if (packet.Acked || packet.Stream.IsReset || (packet.InFlightMask & liveMask) != 0 || packet.QueuedCopies > 0)
            {
                continue;
            }

            var state = packet.Stream.State;
            if (state.QU.IndexOfSorted(packet) < 0 || state.RQ.IndexOf(packet) >= 0)
            {
                continue;
            }

            state.RQ.Add(packet);
            packet.Stream.ReinjectedBytes += packet.Length;
            SendLedger.Lost(packet, subflow.Account);
            moved++;
            Activate(packet.Stream);
        }

        _reinjectScratch.Clear();
        return moved;
    }

    /// <summary>A socket error, the peer's close, or silence past the dead timeout: the subflow is closed for good.</summary>
    public void OnSubflowFailed(Subflow subflow, string reason, bool reset)
    {
        lock (Gate)
        {
            if (subflow.State == SubflowState.Dead)
            {
                return;
            }

            var moved = subflow.State == SubflowState.Active ? Reinject(subflow) : 0;
            subflow.MarkDead();
            _available.Remove(subflow.View);
            _subflows.Remove(subflow);
            _slots[subflow.Slot] = null;
            Ledger.Close(subflow.Account);
            _sessionMask &= ~subflow.View.Bit;
            if (_subflows.Count == 0)
            {
                _noSubflowSinceUs = MonotonicClock.NowMicroseconds;
                ScheduleTimerLocked(_noSubflowSinceUs + (long)Options.SessionIdleTimeout.TotalMicroseconds);
            }

            if (!IsClosed)
            {
                EngineLog.SubflowDead(Logger, Name, subflow.Id, reason, moved);
                HealLocked();
            }

            PumpLocked();
        }

        subflow.Close(reset);
        SubflowEnded?.Invoke(subflow);
    }

    /// <summary>Closes the subflows of one of the client's paths (a handover's second step, or the peer's PATH_REMOVE).</summary>
    public void CloseSubflowsOfPath(byte clientPathId, string reason)
    {
        List<Subflow> closing;
        lock (Gate)
        {
            closing = _subflows.FindAll(s => s.LocalPathId == clientPathId);
        }

        foreach (var subflow in closing)
        {
            OnSubflowFailed(subflow, reason, reset: false);
        }
    }

    /// <summary>Marks the subflows of one of the client's paths backup or regular (IS_BACKUP).</summary>
    public void SetPathBackupLocked(byte clientPathId, bool backup)
    {
        foreach (var subflow in _subflows)
        {
            if (subflow.LocalPathId == clientPathId)
            {
                subflow.IsBackup = backup;
            }
        }

        ActivateAll();
        PumpLocked();
    }

    private void OnPeerPathRemove(byte pathId)
    {
        EngineLog.PeerPathChange(Logger, Name, "removed", pathId);
        if (!IsClient)
        {
            // Close outside this read's processing: the subflow's own loop holds the lock now.
            _ = Task.Run(() => CloseSubflowsOfPath(pathId, "the peer removed its path"));
        }
    }

    private void OnPeerPathPriority(byte pathId, bool backup)
    {
        EngineLog.PeerPathChange(Logger, Name, backup ? "made backup" : "made regular", pathId);
        if (!IsClient)
        {
            SetPathBackupLocked(pathId, backup);
        }
    }

    /// <summary>Ends the session at once: every stream is reset locally, every subflow closed.</summary>
    public void EndLocked(string reason, bool sendClose, CloseReason closeReason = Wire.CloseReason.Normal) =>
        EndLocked(reason, sendClose ? new CloseFrame(closeReason, message: reason) : null, only: null, why: ToEndReason(closeReason));

    /// <summary>Ends the session because the peer's <c>CLOSE</c> (carrying <paramref name="closeReason"/>) arrived.</summary>
    public void EndByPeerLocked(string reason, CloseReason closeReason)
    {
        if (!IsClosed)
        {
            EndedByPeer = true;
        }

        EndLocked(reason, close: null, only: null, why: ToEndReason(closeReason));
    }

    private static SessionEndReason ToEndReason(CloseReason reason) => reason switch
    {
        Wire.CloseReason.Normal => SessionEndReason.Closed,
        Wire.CloseReason.Shutdown => SessionEndReason.Shutdown,
        Wire.CloseReason.IdleTimeout => SessionEndReason.IdleTimeout,
        Wire.CloseReason.ProtocolError => SessionEndReason.ProtocolError,
        Wire.CloseReason.UnsupportedVersion => SessionEndReason.UnsupportedVersion,
        Wire.CloseReason.UnknownSession => SessionEndReason.UnknownSession,
        Wire.CloseReason.AuthenticationFailed => SessionEndReason.AuthenticationFailed,
        Wire.CloseReason.ResourceLimit => SessionEndReason.ResourceLimit,
        Wire.CloseReason.InternalError => SessionEndReason.InternalError,
        // An unknown code from a newer peer means "closed" (docs/protocol.md).
        _ => SessionEndReason.Closed,
    };

    /// <summary>
    /// Ends the session at once; <paramref name="close"/>, if any, goes out first on <paramref name="only"/>
    /// or on every subflow, and the sockets close once it is written (or after a short grace). Streams
    /// end with <paramref name="streamReason"/>, except that one whose incoming direction arrived whole,
    /// up to its FIN, can still be read to its end: only its sending fails.
    /// </summary>
    public void EndLocked(string reason, CloseFrame? close, Subflow? only, StreamResetReason streamReason = StreamResetReason.Cancelled, SessionEndReason? why = null)
    {
        if (IsClosed)
        {
            return;
        }

        IsClosed = true;
        CloseReason = reason;
        EndReason = why ?? (close is { } sent ? ToEndReason(sent.Reason) : SessionEndReason.InternalError);
        StopTimerLocked();
        EngineLog.SessionClosed(Logger, Name, reason);
        foreach (var stream in _streams.Values.ToList())
        {
            stream.ReceiveOutlivesReset = stream.Receive.FinReceived && !stream.ReadClosed;
            stream.Complete(streamReason, byPeer: true);
            stream.AbandonSendLocked();
            if (!stream.ReceiveOutlivesReset)
            {
                stream.Receive.Release();
            }
        }

        _streams.Clear();
        _lingering.Clear();
        _probing.Clear();
        _pendingResets.Clear();
        _drained?.TrySetResult();
        _accepted.Writer.TryComplete();
        var subflows = _subflows.ToList();
        foreach (var subflow in subflows)
        {
            if (close is { } frame && (only is null || ReferenceEquals(only, subflow)))
            {
                subflow.SendControl(frame);
            }

            _slots[subflow.Slot] = null;
        }

        _subflows.Clear();
        _available.Clear();
        _lifetime.Cancel();
        _ = Task.Run(async () =>
        {
            // Let the CLOSE frames go out before the sockets close.
            for (var i = 0; close is not null && i < 40 && subflows.Exists(PendingControl); i++)
            {
                await Task.Delay(5).ConfigureAwait(false);
            }

            await Task.Delay(close is null ? 0 : 10).ConfigureAwait(false);

            lock (Gate)
            {
                foreach (var subflow in subflows)
                {
                    subflow.MarkDead();
                }
            }

            foreach (var subflow in subflows)
            {
                subflow.Close();
            }

            _closed.TrySetResult();
        });
    }
}
