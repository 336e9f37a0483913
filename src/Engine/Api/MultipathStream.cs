using System.Net;
using System.Runtime.CompilerServices;
using ProgMp.Engine.Sessions;
using ProgMp.Engine.Streams;
using ProgMp.Engine.Tracing;
using ProgMp.Engine.Wire;
using ProgMp.Runtime.Execution;

namespace ProgMp.Engine;

/// <summary>
/// One ordered, reliable byte stream of a multipath session, striped over its subflows by the
/// stream's scheduler. A <see cref="Stream"/>: read and write it like a socket's. What is ProgMP's own:
/// <see cref="SetScheduler"/>, <see cref="SetRegister"/>, and the user value of the packets written next
/// (<see cref="UserValue"/> or the <see cref="WriteAsync(ReadOnlyMemory{byte}, long, CancellationToken)"/> overload).
/// </summary>
public sealed class MultipathStream : Stream
{
    private readonly SessionCore _session;
    private readonly StreamCore _core;
    private bool _disposed;

    internal MultipathStream(SessionCore session, StreamCore core)
    {
        _session = session;
        _core = core;
    }

    internal StreamCore Core => _core;

    /// <summary>The stream's id in its session (odd when the client opened it).</summary>
    public uint Id => _core.Id;

    /// <summary>Where the opener asked the stream to be connected (a proxy's destination), or null.</summary>
    public EndPoint? Destination
    {
        get
        {
            var destination = _core.Destination;
            return destination.Kind switch
            {
                DestinationKind.IPv4 or DestinationKind.IPv6 => new IPEndPoint(destination.Address.ToIPAddress(), destination.Port),
                DestinationKind.HostName => new DnsEndPoint(destination.GetHostName(), destination.Port),
                _ => null,
            };
        }
    }

    /// <summary>The name of the scheduler the stream runs (the session's default until one is chosen).</summary>
    public string SchedulerName
    {
        get => _session.SchedulerNameOf(_core);
    }

    /// <summary>
    /// The stream runs the scheduler loaded under <paramref name="name"/> from its next decision on,
    /// and follows it when the registry replaces it.
    /// </summary>
    /// <exception cref="ArgumentException">No scheduler of that name is loaded.</exception>
    public void SetScheduler(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_session.Options.Registry.Contains(name))
        {
            throw new ArgumentException($"No scheduler named '{name}' is loaded.", nameof(name));
        }

        _session.SetScheduler(_core, name);
    }

    /// <summary>The number of registers a scheduler has: R1 to R6.</summary>
    public const int RegisterCount = SchedulerState.RegisterCount;

    /// <summary>Sets register R<paramref name="register"/> (1–6), which the stream's scheduler reads at its next decision.</summary>
    public void SetRegister(int register, long value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(register, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(register, SchedulerState.RegisterCount);
        _session.SetRegister(_core, register, value);
    }

    /// <summary>Register R<paramref name="register"/> (1–6) as the scheduler left it.</summary>
    public long GetRegister(int register)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(register, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(register, SchedulerState.RegisterCount);
        return _session.GetRegister(_core, register);
    }

    /// <summary>The user value (a packet's <c>USER</c>) of the packets written from now on (ProgMP's setUser).</summary>
    public long UserValue
    {
        get => _session.GetUserValue(_core);
        set => _session.SetUserValue(_core, value);
    }

    /// <summary>
    /// Starts recording the stream's scheduler decisions: each invocation's queues, registers and
    /// subflow figures as the program saw them, and what it did. The newest <paramref name="capacity"/>
    /// are kept (<see cref="GetDecisionTrace"/>); enabling again starts an empty trace. Off by default;
    /// while on, recording costs a copy of a few hundred bytes per decision and allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1 or above <see cref="DecisionTrace.MaxCapacity"/>.</exception>
    /// <exception cref="InvalidOperationException">The traces of the session's streams would keep more than <see cref="MultipathLimits.TracedDecisionsPerSession"/> decisions.</exception>
    public void EnableDecisionTrace(int capacity = DecisionTrace.DefaultCapacity) => _session.StartTrace(_core, _core.Id, capacity);

    /// <summary>Stops recording decisions; <see cref="GetDecisionTrace"/> still returns what was recorded.</summary>
    public void DisableDecisionTrace() => _session.StopTrace(_core);

    /// <summary>A copy of the decision trace: the newest <paramref name="last"/> decisions kept, oldest first (empty if the trace was never enabled).</summary>
    public DecisionTrace GetDecisionTrace(int last = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(last);
        return _session.DescribeTrace(_core, last);
    }

    /// <summary>A snapshot of this stream's figures: bytes written, acknowledged and read, reordering, and its scheduler's work.</summary>
    public StreamStatistics GetStatistics() => _session.DescribeStream(_core);

    /// <summary>Always true: a stream is read until the peer completes its writes.</summary>
    public override bool CanRead => true;

    /// <summary>Always true; a write after <see cref="CompleteWrites"/> throws.</summary>
    public override bool CanWrite => true;

    /// <summary>Always false: a stream cannot seek.</summary>
    public override bool CanSeek => false;

    /// <summary>Not supported: a stream has no length.</summary>
    public override long Length => throw new NotSupportedException();

    /// <summary>Not supported: a stream has no position.</summary>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Reads the next bytes in order; returns 0 once the peer completed its writes and everything was read.</summary>
    /// <exception cref="StreamResetException">The stream was reset, or its session ended before the end of the data.</exception>
    // Pooled: a reader that waits for data at every read would otherwise allocate its state machine each time.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            lock (_session.Gate)
            {
                if (!_core.ReceiveOutlivesReset)
                {
                    ThrowIfReset();
                }

                var n = _session.ReadLocked(_core, buffer.Span);
                if (n > 0)
                {
                    return n;
                }

                if (_core.Receive.Completed || _core.ReadClosed)
                {
                    return 0;
                }
            }

            await WaitAsync(_core.Readable, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes bytes, carrying <see cref="UserValue"/> as their packets' user value; waits while the stream's send buffer is full.</summary>
    /// <exception cref="StreamResetException">The stream was reset, or its session ended.</exception>
    /// <exception cref="InvalidOperationException">Writes were completed.</exception>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        WriteCoreAsync(buffer, user: null, cancellationToken);

    /// <summary>Writes bytes whose packets carry <paramref name="user"/> as their user value; later writes go back to <see cref="UserValue"/>.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, long user, CancellationToken cancellationToken = default) =>
        WriteCoreAsync(buffer, user, cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, long? user, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            int taken;
            lock (_session.Gate)
            {
                ThrowIfReset();
                if (_core.FinQueued)
                {
                    throw new InvalidOperationException("Writes on this stream were completed.");
                }

                var saved = _core.NextUser;
                if (user is { } value)
                {
                    _core.NextUser = value;
                }

                taken = _session.WriteLocked(_core, buffer.Span, push: false);
                _core.NextUser = saved;
            }

            buffer = buffer[taken..];
            if (!buffer.IsEmpty)
            {
                await WaitAsync(_core.Writable, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Marks the data written so far as flushed (PSH on its last packet not yet sent). Data goes out as fast as the subflows take it anyway.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        lock (_session.Gate)
        {
            _core.MarkPushLocked();
            _session.PumpLocked();
        }

        return Task.CompletedTask;
    }

    /// <summary>As <see cref="FlushAsync(CancellationToken)"/>, which never blocks.</summary>
    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Ends this side's direction (TCP's FIN): the peer reads to the end; this side can still read.</summary>
    public void CompleteWrites() => _session.CompleteWrites(_core);

    /// <summary>Waits until everything written, and the FIN if writes were completed, is acknowledged by the peer.</summary>
    public async Task WaitForAcknowledgementAsync(CancellationToken cancellationToken = default)
    {
        while (!_session.IsFullyAcknowledged(_core))
        {
            await WaitAsync(_core.Writable, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Aborts the stream in both directions (TCP's RST); the peer's reads and writes fail with the reason.</summary>
    public void Reset(ResetReason reason = ResetReason.Cancelled) => _session.ResetStream(_core, (StreamResetReason)reason);

    /// <summary>Why the stream was reset, or null.</summary>
    public ResetReason? ResetCause
    {
        get => _session.ResetReasonOf(_core) is { } reason ? (ResetReason)reason : null;
    }

    /// <summary>Reads as <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>, blocking the calling thread.</summary>
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Writes as <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>, blocking the calling thread.</summary>
    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Reads as <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>.</summary>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Writes as <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>.</summary>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Not supported: a stream cannot seek.</summary>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <summary>Not supported: a stream has no length.</summary>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>
    /// Closes the stream gracefully, as closing a TCP socket does: completes writes (FIN) and stops
    /// reading (unread data is dropped). What was written is still delivered while the session lives;
    /// if the peer acknowledges nothing of it for <see cref="MultipathOptions.Linger"/>, the stream is
    /// reset (<see cref="ResetReason.Timeout"/>) so the peer sees an error. <see cref="Reset"/> is the abortive close.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close(graceful: true);
        }

        base.Dispose(disposing);
    }

    private void Close(bool graceful)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _session.CloseStream(_core, graceful);
    }

    private void ThrowIfReset() => _session.ThrowIfResetLocked(_core);

    private static ValueTask WaitAsync(AsyncSignal signal, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? WaitCancellableAsync(signal, cancellationToken) : signal.WaitAsync();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask WaitCancellableAsync(AsyncSignal signal, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(static s => ((AsyncSignal)s!).Set(), signal).ConfigureAwait(false))
        {
            await signal.WaitAsync().ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
