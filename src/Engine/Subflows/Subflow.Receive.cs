using System.Buffers;
using System.Net.Sockets;
using System.IO.Pipelines;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Timing;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Subflows;

internal sealed partial class Subflow
{
    private readonly List<PendingEcho> _pendingEchoes = [];

    /// <summary>
    /// Remembers a data frame of a stream that arrived in the current read, so that acknowledgements go
    /// back on this subflow echoing it (docs/protocol.md 8.4). Frames of a read that follow each other
    /// in seq share one echo range (up to a data frame's largest payload); a gap sends the range so far
    /// at once. Every frame is thus echoed: one behind a hole is acknowledged now, not when the hole
    /// fills, and the sender stops counting it in flight.
    /// </summary>
    public void NoteDataForEcho(StreamCore stream, in DataFrame frame, long arrivalUs)
    {
        var echo = new PendingEcho(stream, frame.Seq, frame.Length, frame.Timestamp, frame.SubflowId, arrivalUs);
        for (var i = 0; i < _pendingEchoes.Count; i++)
        {
            var pending = _pendingEchoes[i];
            if (!ReferenceEquals(pending.Stream, stream))
            {
                continue;
            }

            if (frame.Length > 0 && pending.Length > 0 && frame.Seq == pending.Seq + pending.Length
                && pending.Length + frame.Length <= WireFormat.MaxDataPayload)
            {
                // The range keeps its start; timestamp and subflow id are the latest frame's, for the RTT sample.
                _pendingEchoes[i] = echo with { Seq = pending.Seq, Length = pending.Length + frame.Length };
                return;
            }

            stream.SendEchoAckLocked(this, pending, arrivalUs);
            _pendingEchoes[i] = echo;
            return;
        }

        _pendingEchoes.Add(echo);
    }

    private void FlushEchoesLocked(long nowUs)
    {
        foreach (var pending in _pendingEchoes)
        {
            pending.Stream.SendEchoAckLocked(this, pending, nowUs);
        }

        _pendingEchoes.Clear();
    }

    private async Task ReceiveLoopAsync()
    {
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var result = await _reader.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var failed = false;
                var paused = false;
                lock (_session.Gate)
                {
                    if (State == SubflowState.Dead)
                    {
                        return;
                    }

                    var now = MonotonicClock.NowMicroseconds;
                    BytesReceived += buffer.Length;
                    while (true)
                    {
                        var status = FrameDecoder.Decode(ref buffer, out var frame, out var error);
                        if (status == DecodeStatus.NeedMoreData)
                        {
                            break;
                        }

                        if (status == DecodeStatus.Error)
                        {
                            _session.OnProtocolErrorLocked(this, error);
                            failed = true;
                            break;
                        }

                        FramesReceived++;
                        if (!_session.OnFrameLocked(this, frame, now))
                        {
                            failed = true;
                            break;
                        }

                        if (ControlQueueFull)
                        {
                            // The rest of the read stays in the pipe until our answers drain.
                            paused = true;
                            break;
                        }
                    }

                    if (!failed)
                    {
                        FlushEchoesLocked(now);
                        _session.AfterReceiveLocked(this);
                    }
                    else
                    {
                        _pendingEchoes.Clear();
                    }
                }

                if (failed)
                {
                    return;
                }

                if (paused)
                {
                    _reader.AdvanceTo(buffer.Start);
                    if (!await WaitForControlDrainAsync(token).ConfigureAwait(false))
                    {
                        _session.OnSubflowFailed(this, $"its peer left more than {_session.Options.Limits.ControlBytesPerSubflow} control bytes unread for {_session.Options.Limits.ControlDrainTimeout.TotalSeconds:0.#} s", reset: true);
                        return;
                    }

                    continue;
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    _session.OnSubflowFailed(this, "the peer closed the connection", reset: false);
                    return;
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
            OnTransportFailed("receive", e);
        }
        catch (Exception e)
        {
            // A bug of ours must not leave a subflow that silently reads nothing: say so and let it be re-opened.
            Logging.EngineLog.InternalError(_session.Logger, _session.Name, Id, e);
            _session.OnSubflowFailed(this, "internal error in the receive loop: " + e.Message, reset: true);
        }
        finally
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
        }
    }
}
