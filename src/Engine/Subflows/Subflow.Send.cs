using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using ProgMp.Engine.Accounting;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Subflows;

internal sealed partial class Subflow
{
    private readonly Queue<OutboundPacket> _queue = new();

    // Packets that waited at the head of the queue for the receiver's window: later packets that fit
    // (retransmissions, which lie below data already sent) must not wait behind them.
    private readonly Queue<OutboundPacket> _blocked = new();
    private readonly AsyncSignal _sendSignal = new();

    // A plaintext subflow's write as an I/O vector: headers and control frames from the send buffer,
    // large payloads from their segments' own buffers (pinned until the write is done), so the send
    // loop copies none of them. Null under TLS, which encrypts from one buffer and copies anyway.
    private readonly GatherSender? _gather;
    private readonly List<ArraySegment<byte>> _pieces = [];
    private readonly List<OutboundPacket> _pinned = [];
    private int _pieceStart;
    private int _fillBytes;

    /// <summary>Payloads from this size on go to the socket from their own buffer; smaller ones are cheaper to copy than to pin.</summary>
    private const int GatherPayloadBytes = 8 * 1024;

    /// <summary>Control frames waiting to be written (acks, pings, opens, resets), ahead of data.</summary>
    public ControlQueue Control { get; } = new();

    /// <summary>Hands a pushed packet to this subflow (after the invocation that pushed it): from now on SENT_ON says so.</summary>
    public void Enqueue(OutboundPacket packet)
    {
        SendLedger.Queued(packet, Account);
        _queue.Enqueue(packet);
        _sendSignal.Set();
    }

    /// <summary>Lets the send loop look again (the peer's window opened).</summary>
    public void Wake() => _sendSignal.Set();

    /// <summary>
    /// Takes every queued packet back out (the subflow failed); the caller puts them in RQ. A copy that
    /// never reached the socket never left: SENT_ON forgets it, so a program that retransmits only on
    /// subflows that have not carried a packet may use this subflow again.
    /// </summary>
    public void DrainQueue(List<OutboundPacket> into)
    {
        foreach (var queue in (ReadOnlySpan<Queue<OutboundPacket>>)[_blocked, _queue])
        {
            while (queue.TryDequeue(out var packet))
            {
                SendLedger.Unqueued(packet, Account);
                into.Add(packet);
            }
        }
    }

    /// <summary>Appends a control frame; it goes out before any data queued after it.</summary>
    public void SendControl<T>(in T frame)
        where T : struct, IFrame
    {
        if (Control.Append(frame))
        {
            _sendSignal.Set();
        }
    }

    /// <summary>
    /// Fills <paramref name="buffer"/> with control frames, then with data frames from the queue while
    /// they fit and the peer's window allows; marks the data written. Returns the bytes to send: the
    /// start of <paramref name="buffer"/>, or, when <see cref="_pieces"/> is not empty, that vector,
    /// whose large payloads stay in their own buffers (pinned in <see cref="_pinned"/>).
    /// </summary>
    private int FillLocked(byte[] buffer, long nowUs)
    {
        _pieces.Clear();
        _pieceStart = 0;
        var used = Control.TakeInto(buffer, out var drained);
        if (!drained)
        {
            // A stream's open must precede its data: no data until the control bytes are out.
            _fillBytes = used;
            return used;
        }

        _fillBytes = used;
        var wrote = false;
        var blocked = _blocked.Count;
        for (var i = 0; i < blocked; i++)
        {
            var packet = _blocked.Dequeue();
            if (packet.Acked)
            {
                SendLedger.Skipped(packet, Account);
            }
            else if (!packet.WithinPeerWindow || !TryWrite(packet, buffer, ref used, nowUs))
            {
                _blocked.Enqueue(packet);
            }
            else
            {
                wrote = true;
            }
        }

        while (_queue.TryPeek(out var packet))
        {
            if (packet.Acked)
            {
                _queue.Dequeue();
                SendLedger.Skipped(packet, Account);
                continue;
            }

            if (!packet.WithinPeerWindow)
            {
                // Beyond the receiver's window: a push is always carried out, so it waits for the window to open.
                _blocked.Enqueue(_queue.Dequeue());
                continue;
            }

            if (!HasRoom(packet, buffer))
            {
                break;
            }

            _queue.Dequeue();
            TryWrite(packet, buffer, ref used, nowUs);
            wrote = true;
        }

        if (wrote)
        {
            LastSendUs = nowUs;
        }

        if (_pieces.Count > 0 && used > _pieceStart)
        {
            _pieces.Add(new ArraySegment<byte>(buffer, _pieceStart, used - _pieceStart));
        }

        return _fillBytes;
    }

    /// <summary>The frame fits in this write: the send buffer's size bounds the bytes of one write, gathered payloads included.</summary>
    private bool HasRoom(OutboundPacket packet, byte[] buffer) =>
        _fillBytes + FrameEncoder.DataPrefixLength + (int)packet.Length <= buffer.Length;

    private bool TryWrite(OutboundPacket packet, byte[] buffer, ref int used, long nowUs)
    {
        if (!HasRoom(packet, buffer))
        {
            return false;
        }

        var frame = new DataFrame(packet.StreamId, packet.Seq, nowUs, (ushort)Id, packet.PayloadMemory, packet.Psh, packet.Fin);
        if (_gather is not null && packet.Length >= GatherPayloadBytes && MemoryMarshal.TryGetArray(packet.PayloadMemory, out var payload))
        {
            used += FrameEncoder.WriteDataPrefix(buffer.AsSpan(used), frame);
            _pieces.Add(new ArraySegment<byte>(buffer, _pieceStart, used - _pieceStart));
            _pieces.Add(payload);
            _pieceStart = used;
            packet.PinnedWrites++;
            _pinned.Add(packet);
            _fillBytes += FrameEncoder.DataPrefixLength + payload.Count;
        }
        else
        {
            var n = FrameEncoder.Write(buffer.AsSpan(used), frame);
            used += n;
            _fillBytes += n;
        }

        SendLedger.Written(packet, Account, nowUs);
        return true;
    }

    /// <summary>The gathered write is over (done or failed): its payloads may go back to the pool.</summary>
    private void UnpinWritten()
    {
        lock (_session.Gate)
        {
            foreach (var packet in _pinned)
            {
                packet.PinnedWrites--;
                packet.ReleaseIfDone();
            }
        }

        _pinned.Clear();
    }

    private async Task SendLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_session.Options.SendBufferBytes);
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                await _sendSignal.WaitAsync().ConfigureAwait(false);
                while (!token.IsCancellationRequested)
                {
                    int n;
                    lock (_session.Gate)
                    {
                        if (State == SubflowState.Dead)
                        {
                            return;
                        }

                        var now = Timing.MonotonicClock.NowMicroseconds;
                        n = FillLocked(buffer, now);
                        if (n > 0)
                        {
                            // The queue has room again: the schedulers may push more (here or elsewhere).
                            _session.OnSubflowDrainedLocked(this);
                            OnControlWritten();
                        }
                    }

                    if (n == 0)
                    {
                        break;
                    }

                    if (_pieces.Count == 0)
                    {
                        await _stream.WriteAsync(buffer.AsMemory(0, n), token).ConfigureAwait(false);
                        continue;
                    }

                    try
                    {
                        await _gather!.SendAsync(_pieces).ConfigureAwait(false);
                    }
                    finally
                    {
                        UnpinWritten();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            OnTransportFailed("send", e);
        }
        catch (Exception e)
        {
            // A bug of ours must not leave a subflow that silently sends nothing: say so and let it be re-opened.
            Logging.EngineLog.InternalError(_session.Logger, _session.Name, Id, e);
            _session.OnSubflowFailed(this, "internal error in the send loop: " + e.Message, reset: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
