using System.Diagnostics;
using System.Net.Sockets;

namespace ProgMp.Emulation;

/// <summary>
/// One direction of a relayed connection: a read loop that takes bytes from the source into the
/// <see cref="EmulatedLink"/> while its queue has room, and a write loop that writes them on to the
/// destination when the link lets them out, then forwards the end of the stream.
/// </summary>
internal sealed class RelayDirection : IAsyncDisposable
{
    // A reader is woken once this much room (or a quarter of the queue) is free.
    private const int ReaderWakeBytes = 16 * 1024;

    // _writerWakeAt while the write loop runs (it will look at the link again without being woken).
    private const long WriterRunning = long.MinValue;

    private static readonly long s_ticksPerMillisecond = Stopwatch.Frequency / 1000;

    private readonly Lock _gate = new();
    private readonly EmulatedLink _link = new();

    // The read loop waits on _readable for queue space, the write loop on _writable for bytes, the
    // timer (next release) or a profile change.
    private readonly AsyncSignal _readable = new();
    private readonly AsyncSignal _writable = new();
    private readonly Timer _timer;
    private readonly PathEmulator _path;
    private readonly RelayedConnection _connection;
    private readonly Socket _source;
    private readonly Socket _destination;
    private readonly PathDirection _direction;
    private long _forwarded;

    // Who needs waking, so that neither loop is woken for nothing (each wake is a thread-pool hop, and at
    // hundreds of Mbit/s they are the relay's main cost). Both guarded by _gate.
    private bool _readerWaiting;
    private long _writerWakeAt = WriterRunning;

    // The write loop's own: the tick the timer is armed for (MaxValue: not armed), and whether it fired.
    private long _timerDueAt = long.MaxValue;
    private int _timerFired;

    public RelayDirection(PathEmulator path, RelayedConnection connection, Socket source, Socket destination, PathDirection direction)
    {
        _path = path;
        _connection = connection;
        _source = source;
        _destination = destination;
        _direction = direction;
        _timer = new Timer(static state => ((RelayDirection)state!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Bytes written on to the destination.</summary>
    public long BytesForwarded => Interlocked.Read(ref _forwarded);

    /// <summary>
    /// Relays until the end of the stream has been forwarded; throws (after aborting the connection) on a
    /// socket error. Disposes this direction when it ends.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Both loops look at the token after every wait, so waking them is enough to stop them.
        using var registration = cancellationToken.UnsafeRegister(static state => ((RelayDirection)state!).Wake(), this);
        try
        {
            await Task.WhenAll(ReadAsync(cancellationToken), WriteAsync(cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops the timer and returns the link's buffers to the pool; only once both loops have ended.</summary>
    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _link.Dispose();
        }
    }

    /// <summary>Makes both loops look at the profile, the fault state and the token again.</summary>
    public void Wake()
    {
        _readable.Set();
        _writable.Set();
    }

    private void OnTimer()
    {
        // The flag first: the loop that wakes must see that this timer is spent.
        Volatile.Write(ref _timerFired, 1);
        _writable.Set();
    }

    /// <summary>The path was blackholed until now: serve the queue from now on (see <see cref="EmulatedLink.ResumeAt"/>).</summary>
    public void ResumeAt(long now)
    {
        lock (_gate)
        {
            _link.ResumeAt(now);
        }

        Wake();
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _path.WaitWhileBlackholedAsync(cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                var profile = _path.GetProfile(_direction);
                Memory<byte> buffer;
                lock (_gate)
                {
                    buffer = _link.GetReadBuffer(profile);
                    _readerWaiting = buffer.IsEmpty;
                }

                if (buffer.IsEmpty)
                {
                    // Queue full: leave the bytes in the kernel so the sender's TCP window closes.
                    await _readable.WaitAsync().ConfigureAwait(false);
                    continue;
                }

                var count = await _source.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (count > 0 && _path.Tap is { } tap)
                {
                    tap(_connection.Id, _direction, buffer.Span[..count]);
                }

                // The profile again: it may have changed while the receive waited, and what Advance lets out stays out.
                profile = _path.GetProfile(_direction);
                bool wakeWriter;
                lock (_gate)
                {
                    var now = Stopwatch.GetTimestamp();
                    _link.CommitRead(count, now);
                    var next = _link.Advance(now, profile);

                    // Only if the writer sleeps and these bytes change what it would do when it wakes.
                    wakeWriter = _writerWakeAt != WriterRunning && (_link.HasSendable || _link.IsComplete || next < _writerWakeAt);
                }

                if (wakeWriter)
                {
                    _writable.Set();
                }

                if (count == 0)
                {
                    return;
                }
            }
        }
        catch
        {
            _connection.Abort();
            throw;
        }
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _path.WaitWhileBlackholedAsync(cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (Interlocked.Exchange(ref _timerFired, 0) == 1)
                {
                    _timerDueAt = long.MaxValue;
                }

                var profile = _path.GetProfile(_direction);
                long now;
                long next;
                bool wakeReader;
                bool complete;
                ReadOnlyMemory<byte> chunk;
                lock (_gate)
                {
                    now = Stopwatch.GetTimestamp();
                    next = _link.Advance(now, profile);
                    chunk = _link.GetSendable();
                    complete = _link.IsComplete;
                    _writerWakeAt = chunk.IsEmpty && !complete ? next : WriterRunning;

                    // A reader waiting for room gets it in pieces worth a read, not a wake per released chunk.
                    var limit = profile.EffectiveQueueLimitBytes;
                    wakeReader = _readerWaiting && limit - _link.QueuedBytes >= Math.Min(ReaderWakeBytes, Math.Max(1, limit / 4));
                    _readerWaiting &= !wakeReader;
                }

                if (wakeReader)
                {
                    _readable.Set();
                }

                if (!chunk.IsEmpty)
                {
                    await _destination.SendAsync(chunk, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                    lock (_gate)
                    {
                        _link.CommitSend(chunk.Length);
                    }

                    Interlocked.Add(ref _forwarded, chunk.Length);
                    _path.CountForwarded(_direction, chunk.Length);
                    continue;
                }

                if (complete)
                {
                    _destination.Shutdown(SocketShutdown.Send);
                    return;
                }

                // Wake on a whole-millisecond grid, so that a release and a delivery due in the same
                // millisecond share one wake (timers tick in milliseconds anyway). Re-arm only for an earlier
                // time: a timer set for later, or already pending for this one, wakes the loop anyway (an
                // early wake just looks again).
                var wakeAt = next == long.MaxValue ? long.MaxValue : ((next / s_ticksPerMillisecond) + 1) * s_ticksPerMillisecond;
                if (wakeAt < _timerDueAt)
                {
                    _timerDueAt = wakeAt;
                    _timer.Change(DueMilliseconds(wakeAt - now), Timeout.Infinite);
                }

                await _writable.WaitAsync().ConfigureAwait(false);
            }
        }
        catch
        {
            _connection.Abort();
            throw;
        }
    }

    // .NET timers tick in whole milliseconds: round up, so nothing is released early.
    private static long DueMilliseconds(long ticks) => Math.Max(1, (long)Math.Ceiling(ticks * 1000.0 / Stopwatch.Frequency));
}
