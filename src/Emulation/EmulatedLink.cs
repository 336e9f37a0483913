using System.Buffers;
using System.Diagnostics;

namespace ProgMp.Emulation;

/// <summary>
/// The model of one direction of an emulated path, without sockets or clocks: the bytes read from the
/// source, a bottleneck queue drained at the profile's rate, then a delay line, then the bytes that
/// may be written on. Time comes in as <see cref="Stopwatch"/> ticks so the model can be driven
/// deterministically. Not thread-safe: <see cref="RelayDirection"/> serialises calls under its lock,
/// but the memory handed out by <see cref="GetReadBuffer"/> and <see cref="GetSendable"/> is used
/// outside that lock (the two regions never overlap).
/// </summary>
/// <remarks>
/// Bytes live in pooled 64 KiB blocks filled one after another, so small reads share a block and the
/// steady state allocates nothing. The stream offsets satisfy sent &lt;= deliverable &lt;= released
/// &lt;= received: released bytes have left the bottleneck queue (they are "on the wire"), deliverable
/// ones have also spent the one-way delay. Two bounds keep hidden buffering small: the bottleneck
/// queue (the profile's limit, checked before each read) and the bytes in flight past it
/// (<see cref="InFlightLimit"/>, checked before each release).
/// </remarks>
internal sealed class EmulatedLink : IDisposable
{
    public const int BlockSize = 64 * 1024;

    /// <summary>
    /// With an unlimited rate and a delay, at most this much is in flight (like netem's packet limit), so
    /// such a path carries at most this much per one-way delay.
    /// </summary>
    public const int UnlimitedInFlightBytes = 4 * 1024 * 1024;

    /// <summary>Bytes in flight beyond the bandwidth-delay product, so timer jitter does not stall a full-rate flow.</summary>
    public const int InFlightSlackBytes = 64 * 1024;

    // The rate stage releases at most this much at a time (or one millisecond's worth at the rate if
    // that is less), so that delivery is paced smoothly and not in bursts of a whole queue.
    private const int MaximumQuantumBytes = 16 * 1024;
    private const int MinimumQuantumBytes = 1500;

    private readonly Queue<byte[]> _blocks = new();
    private readonly Queue<LinkMark> _arrivals = new();
    private readonly Queue<LinkMark> _departures = new();
    private byte[]? _tail;
    private int _tailFill;
    private int _headRead;
    private long _received;
    private long _released;
    private long _deliverable;
    private long _sent;
    private long _linkFree = long.MinValue;
    private bool _endReceived;
    private bool _endDeliverable;
    private bool _disposed;

    /// <summary>Bytes read from the source so far.</summary>
    public long Received => _received;

    /// <summary>Bytes written on to the destination so far.</summary>
    public long Sent => _sent;

    /// <summary>Bytes waiting in the bottleneck queue.</summary>
    public long QueuedBytes => _received - _released;

    /// <summary>Bytes past the bottleneck, in the delay line or deliverable but not yet written.</summary>
    public long InFlightBytes => _released - _sent;

    /// <summary>Some bytes may be written on now (as of the last <see cref="Advance"/>).</summary>
    public bool HasSendable => _deliverable > _sent;

    /// <summary>The source ended its stream (a 0-byte read was committed).</summary>
    public bool EndReceived => _endReceived;

    /// <summary>Every byte has been written and the end of the stream has spent its delay: send the FIN.</summary>
    public bool IsComplete => _endDeliverable && _sent == _received;

    /// <summary>
    /// How many bytes may be past the bottleneck and not yet written on under <paramref name="profile"/>:
    /// twice the bandwidth-delay product plus slack. The bottleneck stops releasing at this limit, so a
    /// destination that does not read fills the queue and stops the reads rather than piling bytes up
    /// where the sender cannot see them.
    /// </summary>
    public static long InFlightLimit(PathProfile profile)
    {
        if (profile.RateBytesPerSecond is not { } rate)
        {
            return profile.OneWayDelay > TimeSpan.Zero ? UnlimitedInFlightBytes : InFlightSlackBytes;
        }

        // Four milliseconds at the rate covers a late timer at high rates.
        var slack = Math.Max(InFlightSlackBytes, rate * 0.004);
        return (long)(2 * rate * profile.OneWayDelay.TotalSeconds + slack);
    }

    /// <summary>
    /// Where the next read from the source goes: empty while the bottleneck queue is full, which is how
    /// backpressure reaches the sender.
    /// </summary>
    public Memory<byte> GetReadBuffer(PathProfile profile)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var admission = profile.EffectiveQueueLimitBytes - QueuedBytes;
        if (admission <= 0 || _endReceived)
        {
            return Memory<byte>.Empty;
        }

        if (_tail is null || _tailFill == BlockSize)
        {
            _tail = ArrayPool<byte>.Shared.Rent(BlockSize);
            _tailFill = 0;
            _blocks.Enqueue(_tail);
        }

        return _tail.AsMemory(_tailFill, (int)Math.Min(BlockSize - _tailFill, admission));
    }

    /// <summary>Commits <paramref name="count"/> bytes read into the last read buffer at <paramref name="now"/>; 0 ends the stream.</summary>
    public void CommitRead(int count, long now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_endReceived)
        {
            throw new InvalidOperationException("The stream has already ended.");
        }

        if (count > 0)
        {
            if (_tail is null || count > BlockSize - _tailFill)
            {
                throw new ArgumentOutOfRangeException(nameof(count), count, "More bytes than the read buffer held.");
            }

            _tailFill += count;
            _received += count;
        }
        else
        {
            _endReceived = true;
        }

        _arrivals.Enqueue(new LinkMark(_received, now, count == 0));
    }

    /// <summary>
    /// Moves the link on to <paramref name="now"/>: the bottleneck releases what its rate allowed, the
    /// delay line what has waited long enough. Returns the tick of the next change, or
    /// <see cref="long.MaxValue"/> when nothing will change without new input.
    /// </summary>
    public long Advance(long now, PathProfile profile)
    {
        var bytesPerTick = profile.RateBytesPerSecond / Stopwatch.Frequency;
        var inFlightLimit = InFlightLimit(profile);
        var next = long.MaxValue;
        while (InFlightBytes < inFlightLimit && _arrivals.TryPeek(out var arrival))
        {
            // The bottleneck serves in order, starting a chunk when the link is free and the bytes are there.
            var start = Math.Max(_linkFree, arrival.Ticks);
            if (start > now)
            {
                next = start;
                break;
            }

            var count = arrival.Offset - _released;
            var finish = start;
            if (bytesPerTick is { } rate)
            {
                count = Math.Min(count, Quantum(rate));
                finish = start + (long)Math.Ceiling(count / rate);
            }

            _released += count;
            _linkFree = finish;
            var isEnd = false;
            if (_released == arrival.Offset)
            {
                _arrivals.Dequeue();
                isEnd = arrival.IsEnd;
            }

            _departures.Enqueue(new LinkMark(_released, finish, isEnd));
        }

        var delay = ToTicks(profile.OneWayDelay);
        while (_departures.TryPeek(out var departure))
        {
            // A chunk is deliverable once its last byte has crossed the bottleneck and the delay has passed.
            var due = departure.Ticks + delay;
            if (due > now)
            {
                next = Math.Min(next, due);
                break;
            }

            _deliverable = departure.Offset;
            _endDeliverable |= departure.IsEnd;
            _departures.Dequeue();
        }

        return next;
    }

    /// <summary>The next bytes that may be written on (within one block), or empty.</summary>
    public ReadOnlyMemory<byte> GetSendable()
    {
        var available = _deliverable - _sent;
        if (available == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var head = _blocks.Peek();
        var filled = ReferenceEquals(head, _tail) ? _tailFill : BlockSize;
        return head.AsMemory(_headRead, (int)Math.Min(available, filled - _headRead));
    }

    /// <summary>Commits <paramref name="count"/> bytes of the last <see cref="GetSendable"/> as written.</summary>
    public void CommitSend(int count)
    {
        if (count < 0 || count > _deliverable - _sent)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "More bytes than were sendable.");
        }

        _sent += count;
        _headRead += count;
        if (_headRead == BlockSize)
        {
            var block = _blocks.Dequeue();
            if (ReferenceEquals(block, _tail))
            {
                _tail = null;
            }

            ArrayPool<byte>.Shared.Return(block);
            _headRead = 0;
        }
    }

    /// <summary>
    /// The link was down (blackholed) until <paramref name="now"/>: it serves the queue from now at its
    /// rate rather than bursting out what it would have sent while down.
    /// </summary>
    public void ResumeAt(long now) => _linkFree = Math.Max(_linkFree, now);

    /// <summary>Returns the blocks to the pool. Only once nobody uses memory handed out.</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_blocks.TryDequeue(out var block))
        {
            ArrayPool<byte>.Shared.Return(block);
        }

        _tail = null;
        _arrivals.Clear();
        _departures.Clear();
    }

    public static long ToTicks(TimeSpan time) => (long)Math.Ceiling(time.Ticks * (double)Stopwatch.Frequency / TimeSpan.TicksPerSecond);

    private static long Quantum(double bytesPerTick)
    {
        var perMillisecond = bytesPerTick * Stopwatch.Frequency / 1000;
        return (long)Math.Clamp(perMillisecond, MinimumQuantumBytes, MaximumQuantumBytes);
    }
}
