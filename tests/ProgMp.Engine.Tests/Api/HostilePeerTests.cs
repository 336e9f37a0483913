using System.Net;
using System.Security.Cryptography;
using System.Text;
using ProgMp.Engine.Tests.Support;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Api;

/// <summary>
/// Bad input from the network is refused cleanly: the offending connection or session ends with the
/// protocol's reason, and nothing else is touched (docs/protocol.md, section 10).
/// </summary>
public partial class HostilePeerTests
{
    private static readonly TimeSpan s_answer = TimeSpan.FromSeconds(10);

    [Test]
    [CancelAfter(30_000)]
    public async Task A_stranger_that_does_not_speak_the_protocol_is_refused_and_the_listener_goes_on(CancellationToken cancellationToken)
    {
        await using var listener = EngineTestKit.StartListener(EngineTestKit.Options(tls: false));
        await using (var stranger = await RawPeer.ConnectAsync(listener.LocalEndPoints[0], cancellationToken))
        {
            await stranger.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), cancellationToken);
            var close = await stranger.ReceiveAsync(cancellationToken);
            AssertClose(close, CloseReason.ProtocolError, ProtocolErrorReason.UnknownFrameType);
            Assert.That(await stranger.IsClosedByPeerAsync(cancellationToken), Is.True);
        }

        await AssertWorksAsync(listener, cancellationToken);
    }

    [TestCase(0x00u)]
    [TestCase(0x12345678u)]
    public async Task A_setup_without_the_magic_number_is_refused(uint magic)
    {
        using var cts = new CancellationTokenSource(s_answer);
        await using var listener = EngineTestKit.StartListener(EngineTestKit.Options(tls: false));
        await using var peer = await RawPeer.ConnectAsync(listener.LocalEndPoints[0], cts.Token);
        var setup = new byte[FrameEncoder.GetLength(new SetupFrame(1, 1, default, 65535))];
        FrameEncoder.Write(setup, new SetupFrame(1, 1, default, 65535));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(setup.AsSpan(WireFormat.HeaderLength), magic);
        await peer.SendAsync(setup, cts.Token);
        AssertClose(await peer.ReceiveAsync(cts.Token), CloseReason.ProtocolError, ProtocolErrorReason.BadMagic);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_join_for_an_unknown_session_is_refused(CancellationToken cancellationToken)
    {
        await using var listener = EngineTestKit.StartListener(EngineTestKit.Options(tls: false));
        await using var peer = await RawPeer.ConnectAsync(listener.LocalEndPoints[0], cancellationToken);
        await peer.SendAsync(new JoinRequestFrame(ProtocolVersion.Current, 0xDEADBEEF, JoinAuthenticator.NewNonce(), 1, false), cancellationToken);
        AssertClose(await peer.ReceiveAsync(cancellationToken), CloseReason.UnknownSession);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_join_that_cannot_prove_the_secret_is_refused_and_the_session_goes_on(CancellationToken cancellationToken)
    {
        var options = EngineTestKit.Options(tls: false);
        await using var pair = await SessionPair.StartAsync(1, options, cancellationToken);
        var token = ulong.Parse(pair.Client.Id, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

        await using (var attacker = await RawPeer.ConnectAsync(pair.Listener.LocalEndPoints[0], cancellationToken))
        {
            // The token is no secret (anyone who saw a join knows it); the MAC is what the attacker cannot make.
            await attacker.SendAsync(new JoinRequestFrame(ProtocolVersion.Current, token, JoinAuthenticator.NewNonce(), 7, false), cancellationToken);
            var challenge = await attacker.ReceiveAsync(cancellationToken);
            Assert.That(challenge?.Type, Is.EqualTo(FrameType.JoinChallenge));
            ClientJoinMac guess = default;
            RandomNumberGenerator.Fill(guess);
            await attacker.SendAsync(new JoinConfirmFrame(guess), cancellationToken);
            AssertClose(await attacker.ReceiveAsync(cancellationToken), CloseReason.AuthenticationFailed);
        }

        Assert.That(SessionPair.ActiveSubflows(pair.Server), Is.EqualTo(1), "no subflow was added");
        var (client, server) = await pair.OpenStreamAsync(cancellationToken);
        var data = EngineTestKit.Bytes(100_000, 3);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        await EngineTestKit.SendAllAsync(client, data, cancellationToken);
        Assert.That((await reader).Hash, Is.EqualTo(SHA256.HashData(data)));
    }

    public static IEnumerable<TestCaseData> BrokenFrames()
    {
        // A DATA header that claims more than the largest data frame.
        yield return Case("oversized length", [0x11, 0x00, 0x00, 0x02, 0x00, 0x00], ProtocolErrorReason.FrameTooLarge);
        yield return Case("unknown type", [0x7F, 0x00, 0x00, 0x00, 0x00, 0x00], ProtocolErrorReason.UnknownFrameType);
        yield return Case("undefined flag", [0x20, 0x80, 0x00, 0x00, 0x00, 0x08, 0, 0, 0, 0, 0, 0, 0, 1], ProtocolErrorReason.InvalidFlags);
        yield return Case("too short for its type", [0x12, 0x00, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1], ProtocolErrorReason.InvalidLength);
        yield return Case("stream id zero", Encode(new StreamResetFrame(1, StreamResetReason.Cancelled), b => b[9] = 0), ProtocolErrorReason.InvalidStreamId);
        yield return Case("a handshake frame on an established subflow", Encode(new JoinConfirmFrame(default)), ProtocolErrorReason.UnexpectedFrame);
        yield return Case("data for a stream of the server's that it never opened", Encode(new DataFrame(2, 0, 1, 1, new byte[10])), ProtocolErrorReason.StreamIdNotAllowed);
        yield return Case("data for a stream the peer never opened", Encode(new DataFrame(1, 0, 1, 1, new byte[10])), ProtocolErrorReason.StreamIdNotAllowed);
        yield return Case("a stream open with an id of the server's", Encode(new StreamOpenFrame(2, Destination.None)), ProtocolErrorReason.StreamIdNotAllowed);
        yield return Case("data beyond the window", [.. Encode(new StreamOpenFrame(1, Destination.None)), .. Encode(new DataFrame(1, 100_000_000, 1, 1, new byte[10]))], ProtocolErrorReason.FlowControl);
    }

    [TestCaseSource(nameof(BrokenFrames))]
    public async Task A_broken_frame_on_an_established_session_ends_that_session_only(byte[] bytes, int expectedCode)
    {
        var expected = (ProtocolErrorReason)expectedCode;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var token = cts.Token;
        var options = EngineTestKit.Options(tls: false);
        await using var pair = await SessionPair.StartAsync(1, options, token);
        await using var raw = await RawPeer.ConnectAsync(pair.Listener.LocalEndPoints[0], token);
        await raw.SendAsync(new SetupFrame(1, 1, JoinAuthenticator.NewKey(), 1_000_000), token, oneByteAtATime: true);
        Assert.That((await raw.ReceiveAsync(token))?.Type, Is.EqualTo(FrameType.SetupAck));
        var hostile = await pair.Listener.AcceptSessionAsync(token);

        await raw.SendAsync(bytes, token);
        var close = await raw.ReceiveAsync(token, FrameType.Ping, FrameType.Pong, FrameType.DataAck);
        AssertClose(close, CloseReason.ProtocolError, expected);
        await hostile.Completion.WaitAsync(token);
        Assert.That(hostile.CloseReason, Does.Contain(expected.ToString()));
        Assert.That((hostile.EndReason, hostile.EndedByPeer), Is.EqualTo(((SessionEndReason?)SessionEndReason.ProtocolError, false)));

        // The other session never noticed.
        var (client, server) = await pair.OpenStreamAsync(token);
        var data = EngineTestKit.Bytes(200_000, 5);
        var reader = EngineTestKit.ReceiveAllAsync(server, token);
        await EngineTestKit.SendAllAsync(client, data, token);
        Assert.That((await reader).Hash, Is.EqualTo(SHA256.HashData(data)));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Frames_that_arrive_one_byte_at_a_time_make_a_stream_all_the_same(CancellationToken cancellationToken)
    {
        await using var listener = EngineTestKit.StartListener(EngineTestKit.Options(tls: false));
        await using var raw = await RawPeer.ConnectAsync(listener.LocalEndPoints[0], cancellationToken);
        await raw.SendAsync(new SetupFrame(1, 1, JoinAuthenticator.NewKey(), 1_000_000), cancellationToken, oneByteAtATime: true);
        Assert.That((await raw.ReceiveAsync(cancellationToken))?.Type, Is.EqualTo(FrameType.SetupAck));
        var session = await listener.AcceptSessionAsync(cancellationToken);
        var payload = EngineTestKit.Bytes(3000, 9);

        await raw.SendAsync(new StreamOpenFrame(1, Destination.None), cancellationToken, oneByteAtATime: true);
        await raw.SendAsync(new DataFrame(1, 0, 1, 1, payload.AsMemory(0, 1000)), cancellationToken, oneByteAtATime: true);
        await raw.SendAsync(new DataFrame(1, 1000, 2, 1, payload.AsMemory(1000), push: true, fin: true), cancellationToken, oneByteAtATime: true);
        var stream = await session.AcceptStreamAsync(cancellationToken);
        var (hash, length) = await EngineTestKit.ReceiveAllAsync(stream, cancellationToken);

        Assert.That(length, Is.EqualTo(payload.Length));
        Assert.That(hash, Is.EqualTo(SHA256.HashData(payload)));
        var ack = await raw.ReceiveAsync(cancellationToken, FrameType.Ping, FrameType.Pong);
        Assert.That(ack?.Type, Is.EqualTo(FrameType.DataAck), "the stream's data is acknowledged at the data level");
    }

    private static async Task AssertWorksAsync(MultipathListener listener, CancellationToken cancellationToken)
    {
        await using var pair = await SessionPair.StartAsync(listener, [new MultipathPath(listener.LocalEndPoints[0])], EngineTestKit.Options(tls: false), cancellationToken);
        var (client, server) = await pair.OpenStreamAsync(cancellationToken);
        var data = EngineTestKit.Bytes(10_000, 1);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        await EngineTestKit.SendAllAsync(client, data, cancellationToken);
        Assert.That((await reader).Hash, Is.EqualTo(SHA256.HashData(data)));
    }

    private static void AssertClose(Frame? frame, CloseReason reason, ProtocolErrorReason? detail = null)
    {
        Assert.That(frame, Is.Not.Null, "the engine answered before it closed the connection");
        Assert.That(frame!.Value.Type, Is.EqualTo(FrameType.Close));
        Assert.That(frame.Value.Close.Reason, Is.EqualTo(reason));
        if (detail is { } code)
        {
            Assert.That((ProtocolErrorReason)frame.Value.Close.Detail, Is.EqualTo(code));
        }
    }

    private static TestCaseData Case(string name, byte[] bytes, ProtocolErrorReason reason) =>
        new TestCaseData(bytes, (int)reason).SetArgDisplayNames(name);

    private static byte[] Encode<T>(T frame, Action<byte[]>? tamper = null)
        where T : struct, IFrame
    {
        var bytes = new byte[FrameEncoder.GetLength(frame)];
        FrameEncoder.Write(bytes, frame);
        tamper?.Invoke(bytes);
        return bytes;
    }
}
