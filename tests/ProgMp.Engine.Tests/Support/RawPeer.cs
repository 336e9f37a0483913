using System.Buffers;
using System.Net;
using System.Net.Sockets;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Support;

/// <summary>A hand-driven TCP peer that speaks (or breaks) the wire protocol byte by byte.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _received = [];

    private RawPeer(Socket socket)
    {
        _socket = socket;
    }

    public static async Task<RawPeer> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endpoint, cancellationToken);
        return new RawPeer(socket);
    }

    /// <summary>Connects to <paramref name="listener"/> as a client session's first subflow and sends STREAM_OPEN for stream 1; returns the listener's side too.</summary>
    public static async Task<(RawPeer Raw, MultipathSession Session)> StartSessionWithStreamAsync(MultipathListener listener, CancellationToken cancellationToken)
    {
        var raw = await ConnectAsync(listener.LocalEndPoints[0], cancellationToken);
        try
        {
            await raw.SendAsync(new SetupFrame(1, 1, JoinAuthenticator.NewKey(), 1_000_000), cancellationToken);
            var answer = await raw.ReceiveAsync(cancellationToken);
            if (answer?.Type != FrameType.SetupAck)
            {
                throw new InvalidOperationException($"The listener answered the setup with {answer?.Type.ToString() ?? "nothing"}.");
            }

            var session = await listener.AcceptSessionAsync(cancellationToken);
            await raw.SendAsync(new StreamOpenFrame(1, Destination.None), cancellationToken);
            return (raw, session);
        }
        catch
        {
            await raw.DisposeAsync();
            throw;
        }
    }

    public async Task SendAsync(byte[] bytes, CancellationToken cancellationToken, bool oneByteAtATime = false)
    {
        if (!oneByteAtATime)
        {
            await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            return;
        }

        for (var i = 0; i < bytes.Length; i++)
        {
            await _socket.SendAsync(bytes.AsMemory(i, 1), SocketFlags.None, cancellationToken);
        }
    }

    public Task SendAsync<T>(T frame, CancellationToken cancellationToken, bool oneByteAtATime = false)
        where T : struct, IFrame
    {
        var bytes = new byte[FrameEncoder.GetLength(frame)];
        FrameEncoder.Write(bytes, frame);
        return SendAsync(bytes, cancellationToken, oneByteAtATime);
    }

    /// <summary>The next whole frame the other side sent, skipping types in <paramref name="skip"/>; null when the connection ended first.</summary>
    public async Task<Frame?> ReceiveAsync(CancellationToken cancellationToken, params FrameType[] skip)
    {
        var buffer = new byte[65_536];
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_received.ToArray());
            var before = sequence.Length;
            var status = FrameDecoder.Decode(ref sequence, out var frame, out _);
            if (status == DecodeStatus.Decoded)
            {
                // Frames borrow from the input; this copy of it stays alive with the returned frame.
                _received.RemoveRange(0, (int)(before - sequence.Length));
                if (Array.IndexOf(skip, frame.Type) >= 0)
                {
                    continue;
                }

                return frame;
            }

            if (status == DecodeStatus.Error)
            {
                throw new InvalidOperationException("The engine sent bytes that are not a frame.");
            }

            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            }
            catch (SocketException)
            {
                return null;
            }

            if (n == 0)
            {
                return null;
            }

            _received.AddRange(buffer.AsSpan(0, n));
        }
    }

    /// <summary>True once the other side closed the connection (reads return 0 or fail).</summary>
    public async Task<bool> IsClosedByPeerAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (n == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
