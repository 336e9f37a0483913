using System.Buffers;
using System.Net.Sockets;
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
    /// they fit and the peer's window allows; marks the data written. Returns the bytes to send.
    /// </summary>
    private int FillLocked(Span<byte> buffer, long nowUs)
    {
        var used = Control.TakeInto(buffer, out var drained);
        if (!drained)
        {
            // A stream's open must precede its data: no data until the control bytes are out.
            return used;
        }

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

            if (!HasRoom(packet, buffer, used))
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

        return used;
    }

    private static bool HasRoom(OutboundPacket packet, Span<byte> buffer, int used) =>
        used + FrameEncoder.DataPrefixLength + (int)packet.Length <= buffer.Length;

    private bool TryWrite(OutboundPacket packet, Span<byte> buffer, ref int used, long nowUs)
    {
        if (!HasRoom(packet, buffer, used))
        {
            return false;
        }

        var frame = new DataFrame(packet.StreamId, packet.Seq, nowUs, (ushort)Id, packet.PayloadMemory, packet.Psh, packet.Fin);
        used += FrameEncoder.Write(buffer[used..], frame);
        SendLedger.Written(packet, Account, nowUs);
        return true;
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

                    await _stream.WriteAsync(buffer.AsMemory(0, n), token).ConfigureAwait(false);
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
