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
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _total;

    public GatherSender(Socket socket)
        : base(unsafeSuppressExecutionContextFlow: true)
    {
        _socket = socket;
    }

    /// <summary>
    /// Sends every byte of <paramref name="buffers"/> (a stream socket's send completes only when the
    /// whole vector is in the kernel); the list and its buffers must stay untouched until it completes.
    /// </summary>
    public ValueTask SendAsync(IList<ArraySegment<byte>> buffers)
    {
        _total = 0;
        foreach (var buffer in buffers)
        {
            _total += buffer.Count;
        }

        _core.Reset();
        BufferList = buffers;
        if (!_socket.SendAsync(this))
        {
            Complete();
        }

        return new ValueTask(this, _core.Version);
    }

    protected override void OnCompleted(SocketAsyncEventArgs e) => Complete();

    private void Complete()
    {
        if (SocketError != SocketError.Success)
        {
            _core.SetException(new SocketException((int)SocketError));
        }
        else if (BytesTransferred != _total)
        {
            _core.SetException(new IOException($"The socket took {BytesTransferred} of {_total} bytes."));
        }
        else
        {
            _core.SetResult(true);
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
