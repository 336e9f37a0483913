using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace ProgMp.Engine.Subflows;

/// <summary>
/// Writes several buffers to a socket in one call (<c>sendmsg</c> with an I/O vector), so that a
/// plaintext subflow hands a segment's payload to the kernel straight from the segment's own buffer
/// instead of copying it next to its frame header first. One write at a time; awaiting it allocates
/// nothing.
/// </summary>
internal sealed class GatherSender : SocketAsyncEventArgs, IValueTaskSource
{
    private readonly Socket _socket;
    private readonly List<ArraySegment<byte>> _rest = [];
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private IList<ArraySegment<byte>> _buffers = [];
    private int _total;
    private int _sent;

    public GatherSender(Socket socket)
        : base(unsafeSuppressExecutionContextFlow: true)
    {
        _socket = socket;
    }

    /// <summary>Sends every byte of <paramref name="buffers"/>; the list and its buffers must stay untouched until it completes.</summary>
    public ValueTask SendAsync(IList<ArraySegment<byte>> buffers)
    {
        _buffers = buffers;
        _sent = 0;
        _total = 0;
        foreach (var buffer in buffers)
        {
            _total += buffer.Count;
        }

        _core.Reset();
        Start(buffers);
        return new ValueTask(this, _core.Version);
    }

    private void Start(IList<ArraySegment<byte>> buffers)
    {
        BufferList = buffers;
        while (!_socket.SendAsync(this))
        {
            // Completed at once: go on with what is left, if anything.
            if (!Continue())
            {
                return;
            }
        }
    }

    protected override void OnCompleted(SocketAsyncEventArgs e)
    {
        if (Continue())
        {
            try
            {
                Start(_rest);
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
                _core.SetException(error);
            }
        }
    }

    /// <summary>After a send: true if bytes remain and <see cref="_rest"/> holds them; otherwise completes the write.</summary>
    private bool Continue()
    {
        if (SocketError != SocketError.Success)
        {
            _core.SetException(new SocketException((int)SocketError));
            return false;
        }

        _sent += BytesTransferred;
        if (_sent >= _total || BytesTransferred == 0)
        {
            if (_sent < _total)
            {
                _core.SetException(new SocketException((int)SocketError.ConnectionReset));
            }
            else
            {
                _core.SetResult(true);
            }

            return false;
        }

        // A stream socket may take part of the vector: what it did not take goes again.
        var skip = _sent;
        _rest.Clear();
        foreach (var buffer in _buffers)
        {
            if (skip >= buffer.Count)
            {
                skip -= buffer.Count;
                continue;
            }

            _rest.Add(buffer.Slice(skip));
            skip = 0;
        }

        return true;
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
