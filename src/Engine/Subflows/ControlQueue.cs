using System.Buffers;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Subflows;

/// <summary>
/// A subflow's control frames (acks, pings, opens, resets) waiting to be written, ahead of its data.
/// Counts the bytes queued and written since the subflow started, so that whoever queued a frame can
/// tell later whether it reached the socket (<see cref="IsWritten"/>). Guarded by the session's lock.
/// </summary>
internal sealed class ControlQueue
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private int _taken;

    /// <summary>Bytes waiting to be written.</summary>
    public int Pending => _buffer.WrittenCount - _taken;

    /// <summary>Control bytes queued since the subflow started: a frame just queued ends here.</summary>
    public long BytesQueued { get; private set; }

    /// <summary>Control bytes handed to the socket since the subflow started.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>The subflow ended: what is still queued will never be written.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Queues a frame; false when the subflow has ended.</summary>
    public bool Append<T>(in T frame)
        where T : struct, IFrame
    {
        if (IsClosed)
        {
            return false;
        }

        BytesQueued += FrameEncoder.Write(_buffer, frame);
        return true;
    }

    /// <summary>Whether the frame that ended at <paramref name="end"/> of <see cref="BytesQueued"/> reached the socket.</summary>
    public bool IsWritten(long end) => BytesWritten >= end;

    /// <summary>
    /// Copies as many queued bytes as fit into <paramref name="buffer"/> and counts them written (the
    /// caller writes them next). Returns the count; true in <paramref name="drained"/> when nothing is
    /// left, so data may follow.
    /// </summary>
    public int TakeInto(Span<byte> buffer, out bool drained)
    {
        var n = Math.Min(Pending, buffer.Length);
        if (n > 0)
        {
            _buffer.WrittenSpan.Slice(_taken, n).CopyTo(buffer);
            _taken += n;
            BytesWritten += n;
        }

        drained = _taken == _buffer.WrittenCount;
        if (drained)
        {
            _buffer.ResetWrittenCount();
            _taken = 0;
        }
        else if (n > 0)
        {
            Compact();
        }

        return n;
    }

    public void Close() => IsClosed = true;

    /// <summary>Moves the unsent bytes to the front, so a queue that never empties does not keep growing behind them.</summary>
    private void Compact()
    {
        var pending = Pending;
        var scratch = ArrayPool<byte>.Shared.Rent(pending);
        _buffer.WrittenSpan[_taken..].CopyTo(scratch);
        _buffer.ResetWrittenCount();
        _buffer.Write(scratch.AsSpan(0, pending));
        _taken = 0;
        ArrayPool<byte>.Shared.Return(scratch);
    }
}
