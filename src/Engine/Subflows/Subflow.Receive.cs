using System.Buffers;
using System.Net.Sockets;
using System.IO.Pipelines;
using ProgMp.Engine.Timing;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Subflows;

internal sealed partial class Subflow
{
    // The readers a read made readable, woken after the session's lock is let go.
    private readonly List<AsyncSignal> _readersToWake = [];

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
                    DecodeLocked(ref buffer, now, out failed, out paused);
                    _session.EndOfReadLocked(this, now, failed, _readersToWake);
                }

                WakeReaders();
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

    /// <summary>Hands the read's frames to the session, one after another, until the data ends, a frame fails, or our answers back up.</summary>
    private void DecodeLocked(ref ReadOnlySequence<byte> buffer, long now, out bool failed, out bool paused)
    {
        failed = false;
        paused = false;
        while (true)
        {
            var status = FrameDecoder.Decode(ref buffer, out var frame, out var error);
            if (status == DecodeStatus.NeedMoreData)
            {
                return;
            }

            if (status == DecodeStatus.Error)
            {
                _session.OnProtocolErrorLocked(this, error);
                failed = true;
                return;
            }

            FramesReceived++;
            if (!_session.OnFrameLocked(this, frame, now))
            {
                failed = true;
                return;
            }

            if (ControlQueueFull)
            {
                // The rest of the read stays in the pipe until our answers drain.
                paused = true;
                return;
            }
        }
    }

    /// <summary>Wakes the readers the read made readable, outside the session's lock.</summary>
    private void WakeReaders()
    {
        foreach (var readable in _readersToWake)
        {
            readable.Set();
        }

        _readersToWake.Clear();
    }
}
