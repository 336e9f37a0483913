using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Support;

/// <summary>
/// A hand-driven peer that speaks (or breaks) the wire protocol byte by byte. Its bytes travel over a
/// <see cref="Stream"/> (a TCP connection's, or whatever a caller wraps it in, such as TLS), so the
/// same attacks run over any transport the subflows use.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly Stream _transport;
    private readonly List<byte> _received = [];

    private RawPeer(Stream transport)
    {
        _transport = transport;
    }

    /// <summary>Connects to <paramref name="endpoint"/>; <paramref name="wrap"/>, if given, turns the connection's stream into the one the peer speaks over.</summary>
    public static async Task<RawPeer> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken, Func<Stream, CancellationToken, Task<Stream>>? wrap = null)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            Stream transport = new NetworkStream(socket, ownsSocket: true);
            if (wrap is not null)
            {
                transport = await wrap(transport, cancellationToken);
            }

            return new RawPeer(transport);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects to <paramref name="listener"/> as a client session's first subflow and sends STREAM_OPEN for stream 1; returns the listener's side too.</summary>
    public static async Task<(RawPeer Raw, MultipathSession Session)> StartSessionWithStreamAsync(MultipathListener listener, CancellationToken cancellationToken)
    {
        var (raw, session) = await StartSessionAsync(listener, cancellationToken);
        try
        {
            await raw.SendAsync(new StreamOpenFrame(1, Destination.None), cancellationToken);
            return (raw, session);
        }
        catch
        {
            await raw.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Connects to <paramref name="listener"/> as a client session's first subflow, with a large window
    /// for the engine's data; returns the listener's side too. Over TLS when the listener runs TLS, as
    /// the listener's own identity (which the test security authorizes): a hostile client that holds a
    /// credential, the one kind that gets past the handshake.
    /// </summary>
    public static async Task<(RawPeer Raw, MultipathSession Session)> StartSessionAsync(MultipathListener listener, CancellationToken cancellationToken)
    {
        var raw = await ConnectAsync(listener.LocalEndPoints[0], cancellationToken, TlsAs(listener.Options.Security!));
        try
        {
            await raw.SendAsync(new SetupFrame(1, 1, JoinAuthenticator.NewKey(), 1_000_000), cancellationToken);
            var answer = await raw.ReceiveAsync(cancellationToken);
            if (answer?.Type != FrameType.SetupAck)
            {
                throw new InvalidOperationException($"The listener answered the setup with {answer?.Type.ToString() ?? "nothing"}.");
            }

            var session = await listener.AcceptSessionAsync(cancellationToken);
            return (raw, session);
        }
        catch
        {
            await raw.DisposeAsync();
            throw;
        }
    }

    /// <summary>The wrap that speaks TLS 1.3 as <paramref name="security"/>'s identity; null in plaintext.</summary>
    public static Func<Stream, CancellationToken, Task<Stream>>? TlsAs(MultipathSecurity security) =>
        security.Identity is not { } identity
            ? null
            : async (inner, cancellationToken) =>
            {
                var tls = new SslStream(inner);
                await tls.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = "",
                        EnabledSslProtocols = SslProtocols.Tls13,
                        ClientCertificateContext = identity.Context,
                        RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
                    },
                    cancellationToken);
                return tls;
            };

    public async Task SendAsync(byte[] bytes, CancellationToken cancellationToken, bool oneByteAtATime = false)
    {
        if (!oneByteAtATime)
        {
            await _transport.WriteAsync(bytes, cancellationToken);
            await _transport.FlushAsync(cancellationToken);
            return;
        }

        for (var i = 0; i < bytes.Length; i++)
        {
            await _transport.WriteAsync(bytes.AsMemory(i, 1), cancellationToken);
            await _transport.FlushAsync(cancellationToken);
        }
    }

    public Task SendAsync<T>(T frame, CancellationToken cancellationToken, bool oneByteAtATime = false)
        where T : struct, IFrame => SendAsync(Encode(frame), cancellationToken, oneByteAtATime);

    /// <summary>Sends, and says false instead of throwing when the other side has closed or reset the connection.</summary>
    public async Task<bool> TrySendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await _transport.WriteAsync(bytes, cancellationToken);
            await _transport.FlushAsync(cancellationToken);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A frame's bytes on the wire.</summary>
    public static byte[] Encode<T>(T frame)
        where T : struct, IFrame
    {
        var bytes = new byte[FrameEncoder.GetLength(frame)];
        FrameEncoder.Write(bytes, frame);
        return bytes;
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

            var n = await TryReadAsync(buffer, cancellationToken);
            if (n == 0)
            {
                return null;
            }

            _received.AddRange(buffer.AsSpan(0, n));
        }
    }

    /// <summary>The next frame of <paramref name="type"/> (others skipped); null when the connection ended first.</summary>
    public async Task<Frame?> ReceiveAsync(FrameType type, CancellationToken cancellationToken)
    {
        while (await ReceiveAsync(cancellationToken) is { } frame)
        {
            if (frame.Type == type)
            {
                return frame;
            }
        }

        return null;
    }

    /// <summary>True once the other side closed the connection (reads return 0 or fail).</summary>
    public async Task<bool> IsClosedByPeerAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (await TryReadAsync(buffer, cancellationToken) > 0)
        {
        }

        return true;
    }

    public ValueTask DisposeAsync() => _transport.DisposeAsync();

    /// <summary>Reads some bytes; 0 when the connection ended, by a close or a reset.</summary>
    private async Task<int> TryReadAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await _transport.ReadAsync(buffer, cancellationToken);
        }
        catch (IOException)
        {
            return 0;
        }
        catch (SocketException)
        {
            return 0;
        }
    }
}
