using System.Net;
using System.Text;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Wire;

/// <summary>At least one frame of every kind, with the edge values each kind has.</summary>
internal static class FrameSamples
{
    public static readonly byte[] LargePayload = Pattern(WireFormat.MaxDataPayload, 7);

    public static IReadOnlyList<WireSample> All { get; } = Build();

    /// <summary>The samples small enough to split at every byte boundary in a few seconds.</summary>
    public static IReadOnlyList<WireSample> Small { get; } = All.Where(s => s.Bytes.Length <= 1024).ToArray();

    public static IEnumerable<TestCaseData> Cases(IEnumerable<WireSample> samples) =>
        samples.Select(s => new TestCaseData(s).SetArgDisplayNames(s.Name));

    public static SessionKey Key(byte seed)
    {
        SessionKey key = default;
        Pattern(seed).CopyTo(key);
        return key;
    }

    public static JoinNonce Nonce(byte seed)
    {
        JoinNonce nonce = default;
        Pattern(seed).AsSpan(0, JoinNonce.Length).CopyTo(nonce);
        return nonce;
    }

    public static byte[] Pattern(int length, int seed) =>
        Enumerable.Range(0, length).Select(i => (byte)((i * 31) + seed)).ToArray();

    private static byte[] Pattern(byte seed) => Pattern(32, seed);

    private static IReadOnlyList<WireSample> Build()
    {
        ServerJoinMac serverMac = default;
        Pattern(0x60).AsSpan(0, ServerJoinMac.Length).CopyTo(serverMac);
        ClientJoinMac clientMac = default;
        Pattern(0x70).CopyTo(clientMac);
        var longName = string.Join('.', new string('a', 63), new string('b', 63), new string('c', 63), new string('d', 63));

        return
        [
            WireSample.Of("setup", new SetupFrame(1, 1, Key(0x10), 256 * 1024)),
            WireSample.Of("setup offering a range", new SetupFrame(1, 3, Key(0x11), 0)),
            WireSample.Of("setup ack", new SetupAckFrame(1, 0x0123_4567_89AB_CDEF, Key(0x20), 65_536)),
            WireSample.Of("setup ack with the largest values", new SetupAckFrame(ushort.MaxValue, ulong.MaxValue, Key(0x21), uint.MaxValue)),
            WireSample.Of("join request", new JoinRequestFrame(1, 42, Nonce(0x30), 0, backup: false)),
            WireSample.Of("join request for a backup path", new JoinRequestFrame(1, ulong.MaxValue, Nonce(0x31), 255, backup: true)),
            WireSample.Of("join challenge", new JoinChallengeFrame(Nonce(0x40), serverMac)),
            WireSample.Of("join confirm", new JoinConfirmFrame(clientMac)),
            WireSample.Of("join accept", default(JoinAcceptFrame)),
            WireSample.Of("close", new CloseFrame(CloseReason.Normal)),
            WireSample.Of("close for a protocol error", CloseFrame.ForProtocolError(new ProtocolError(ProtocolErrorReason.InvalidFlags, 0x11, "The frame sets a flag its type does not define."))),
            WireSample.Of("close for an unsupported version", ProtocolVersion.UnsupportedVersionClose()),
            WireSample.Of("close with a non-ASCII message", new CloseFrame(CloseReason.Shutdown, message: "arrêt: maintenance ✓")),
            WireSample.Of("stream open", new StreamOpenFrame(1, Destination.None)),
            WireSample.Of("stream open to IPv4", new StreamOpenFrame(3, Destination.FromAddress(IPAddress.Parse("192.0.2.10"), 443))),
            WireSample.Of("stream open to IPv6", new StreamOpenFrame(4, Destination.FromAddress(IPAddress.Parse("2001:db8::1"), 8080))),
            WireSample.Of("stream open to a host name", new StreamOpenFrame(5, Destination.FromHostName("example.com", 80))),
            WireSample.Of("stream open to the longest host name", new StreamOpenFrame(uint.MaxValue, Destination.FromHostName(longName, ushort.MaxValue))),
            WireSample.Of("data", new DataFrame(1, 0, 1_000, 0, Encoding.ASCII.GetBytes("hello"))),
            WireSample.Of("data with push", new DataFrame(2, 1_400, 2_000, 3, Pattern(1_400, 1), push: true)),
            WireSample.Of("data with push and FIN", new DataFrame(3, 5, 3_000, 63, Pattern(10, 2), push: true, fin: true)),
            WireSample.Of("FIN without data", new DataFrame(3, 15, 3_001, 63, ReadOnlyMemory<byte>.Empty, fin: true)),
            WireSample.Of("data at the largest sequence number", new DataFrame(9, long.MaxValue - 2, long.MaxValue, ushort.MaxValue, new byte[] { 1 })),
            WireSample.Of("data with the largest payload", new DataFrame(7, 1L << 40, 4_000, 1, LargePayload)),
            WireSample.Of("window update", new DataAckFrame(1, 0, 65_536, 5_000)),
            WireSample.Of("data ack with echo", new DataAckFrame(2, 2_800, 1 << 20, 6_000, new AckEcho(1_400, 1_400, 2_000, 3, 250))),
            WireSample.Of("data ack echoing a FIN", new DataAckFrame(3, 16, 0, 7_000, new AckEcho(15, 0, 3_001, 63, uint.MaxValue))),
            WireSample.Of("stream reset", new StreamResetFrame(1, StreamResetReason.Cancelled)),
            WireSample.Of("stream reset for an unreachable destination", new StreamResetFrame(5, StreamResetReason.DestinationUnreachable)),
            WireSample.Of("ping", new PingFrame(123_456_789)),
            WireSample.Of("pong", new PongFrame(123_456_789, 987_654_321, 42)),
            WireSample.Of("path add IPv4", new PathAddFrame(1, WireAddress.FromIPAddress(IPAddress.Parse("198.51.100.7")), 9000)),
            WireSample.Of("path add IPv6 backup", new PathAddFrame(255, WireAddress.FromIPAddress(IPAddress.Parse("2001:db8::42")), 9001, backup: true)),
            WireSample.Of("path remove", new PathRemoveFrame(0)),
            WireSample.Of("path priority backup", new PathPriorityFrame(2, backup: true)),
            WireSample.Of("path priority regular", new PathPriorityFrame(2, backup: false)),
        ];
    }
}
