using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;
using ProgMp.Engine.Wire;
using static ProgMp.Engine.Tests.Wire.WireTestKit;

namespace ProgMp.Engine.Tests.Wire;

public sealed class MalformedFrameTests
{
    private const int H = WireFormat.HeaderLength;

    [TestCase((byte)0x00)]
    [TestCase((byte)0x08)]
    [TestCase((byte)0x0F)]
    [TestCase((byte)0x14)]
    [TestCase((byte)0x22)]
    [TestCase((byte)0x33)]
    [TestCase((byte)0xFF)]
    public void An_unknown_frame_type_is_refused_at_its_first_byte(byte type)
    {
        var error = DecodeError([type]);

        Assert.That(error.Reason, Is.EqualTo(ProtocolErrorReason.UnknownFrameType));
        Assert.That(error.RawType, Is.EqualTo(type));
    }

    [TestCase((byte)FrameType.Ping, (byte)0x01)]
    [TestCase((byte)FrameType.Data, (byte)0x04)]
    [TestCase((byte)FrameType.Data, (byte)0x80)]
    [TestCase((byte)FrameType.DataAck, (byte)0x02)]
    [TestCase((byte)FrameType.PathAdd, (byte)0x02)]
    [TestCase((byte)FrameType.PathPriority, (byte)0x10)]
    [TestCase((byte)FrameType.Close, (byte)0x01)]
    [TestCase((byte)FrameType.SetupAck, (byte)0x01)]
    [TestCase((byte)FrameType.JoinAccept, (byte)0x40)]
    public void A_flag_the_type_does_not_define_is_refused_at_the_second_byte(byte type, byte flags)
    {
        var error = DecodeError([type, flags]);

        Assert.That(error.Reason, Is.EqualTo(ProtocolErrorReason.InvalidFlags));
        Assert.That(error.RawType, Is.EqualTo(type));
    }

    [TestCase((byte)FrameType.Ping, 9u)]
    [TestCase((byte)FrameType.JoinAccept, 1u)]
    [TestCase((byte)FrameType.Data, (uint)(DataFrame.FixedLength + WireFormat.MaxDataPayload + 1))]
    [TestCase((byte)FrameType.Data, uint.MaxValue)]
    [TestCase((byte)FrameType.Close, 262u)]
    [TestCase((byte)FrameType.StreamOpen, 264u)]
    [TestCase((byte)FrameType.Setup, 257u)]
    [TestCase((byte)FrameType.JoinRequest, 0x8000_0000u)]
    [TestCase((byte)FrameType.PathAdd, 21u)]
    public void An_oversized_length_is_refused_from_the_header_alone(byte type, uint length)
    {
        var error = DecodeError(Header((FrameType)type, 0, length));

        Assert.That(error.Reason, Is.EqualTo(ProtocolErrorReason.FrameTooLarge));
        Assert.That(error.RawType, Is.EqualTo(type));
    }

    [TestCase((byte)FrameType.Ping, 7u)]
    [TestCase((byte)FrameType.Pong, 0u)]
    [TestCase((byte)FrameType.Data, 21u)]
    [TestCase((byte)FrameType.DataAck, 49u)]
    [TestCase((byte)FrameType.Setup, 43u)]
    [TestCase((byte)FrameType.JoinRequest, 30u)]
    [TestCase((byte)FrameType.StreamOpen, 4u)]
    [TestCase((byte)FrameType.Close, 5u)]
    [TestCase((byte)FrameType.PathAdd, 7u)]
    [TestCase((byte)FrameType.PathRemove, 0u)]
    public void A_length_below_the_type_minimum_is_refused_from_the_header_alone(byte type, uint length)
    {
        var error = DecodeError(Header((FrameType)type, 0, length));

        Assert.That(error.Reason, Is.EqualTo(ProtocolErrorReason.InvalidLength));
    }

    private static IEnumerable<TestCaseData> BadBodies()
    {
        var data = Encode(new DataFrame(1, 100, 200, 1, new byte[] { 1, 2, 3 }));
        yield return Case("data on stream 0", Patch(data, 0, 0, 0, 0, 0), ProtocolErrorReason.InvalidStreamId);
        yield return Case("data with neither payload nor FIN", Header(FrameType.Data, 0, DataFrame.FixedLength, data.AsSpan(H, DataFrame.FixedLength)), ProtocolErrorReason.InvalidLength);
        yield return Case("data at a sequence number with the top bit set", Patch(data, 4, 0x80), ProtocolErrorReason.InvalidField);
        yield return Case("data with a timestamp with the top bit set", Patch(data, 12, 0xFF), ProtocolErrorReason.InvalidField);
        yield return Case("data whose end overflows the sequence space", Patch(data, 4, Int64(long.MaxValue - 3)), ProtocolErrorReason.InvalidField);

        var ack = Encode(new DataAckFrame(1, 10, 20, 30));
        yield return Case("ack on stream 0", Patch(ack, 0, 0, 0, 0, 0), ProtocolErrorReason.InvalidStreamId);
        yield return Case("ack with a negative cumulative ack", Patch(ack, 8, 0x80), ProtocolErrorReason.InvalidField);
        yield return Case("ack with echo fields but no echo flag", Patch(ack, 49, 1), ProtocolErrorReason.InvalidField);
        yield return Case("ack with a hold time but no echo flag", Patch(ack, 44, 0, 0, 0, 1), ProtocolErrorReason.InvalidField);
        var echoed = Encode(new DataAckFrame(1, 10, 20, 30, new AckEcho(0, 10, 5, 1, 2)));
        yield return Case("ack echoing a payload above 64 KiB", Patch(echoed, 40, Int32(WireFormat.MaxDataPayload + 1)), ProtocolErrorReason.InvalidField);
        yield return Case("ack echoing a negative timestamp", Patch(echoed, 32, 0x80), ProtocolErrorReason.InvalidField);

        yield return Case("reset of stream 0", Patch(Encode(new StreamResetFrame(1, StreamResetReason.Timeout)), 0, 0, 0, 0, 0), ProtocolErrorReason.InvalidStreamId);
        yield return Case("ping with a negative timestamp", Patch(Encode(new PingFrame(1)), 0, 0x80), ProtocolErrorReason.InvalidField);
        yield return Case("pong with a negative timestamp", Patch(Encode(new PongFrame(1, 2, 3)), 8, 0x80), ProtocolErrorReason.InvalidField);

        var open = Encode(new StreamOpenFrame(1, Destination.None));
        yield return Case("stream open of stream 0", Patch(open, 0, 0, 0, 0, 0), ProtocolErrorReason.InvalidStreamId);
        yield return Case("stream open with an unknown destination kind", Patch(open, 4, 4), ProtocolErrorReason.InvalidDestination);
        yield return Case("stream open without destination but with bytes after", StreamOpen(0, 0, 80), ProtocolErrorReason.InvalidLength);
        yield return Case("stream open to IPv4 with five address bytes", StreamOpen(1, 0, 80, 10, 0, 0, 1, 9), ProtocolErrorReason.InvalidLength);
        yield return Case("stream open to IPv4 port 0", StreamOpen(1, 0, 0, 10, 0, 0, 1), ProtocolErrorReason.InvalidDestination);
        yield return Case("stream open to 0.0.0.0", StreamOpen(1, 0, 80, 0, 0, 0, 0), ProtocolErrorReason.InvalidDestination);
        yield return Case("stream open to ::", StreamOpen([2, 0, 80, .. new byte[16]]), ProtocolErrorReason.InvalidDestination);
        yield return Case("stream open to IPv6 with four address bytes", StreamOpen(2, 0, 80, 10, 0, 0, 1), ProtocolErrorReason.InvalidLength);
        yield return Case("stream open whose name is longer than its length byte says", StreamOpen([3, 0, 80, 3, .. "abcd"u8]), ProtocolErrorReason.InvalidLength);
        yield return Case("stream open whose name is shorter than its length byte says", StreamOpen([3, 0, 80, 5, .. "abcd"u8]), ProtocolErrorReason.InvalidLength);
        yield return Case("stream open to a host name without the name length", StreamOpen(3, 0, 80), ProtocolErrorReason.InvalidLength);
        yield return Case("stream open to an empty host name", StreamOpen(3, 0, 80, 0), ProtocolErrorReason.InvalidDestination);
        yield return Case("stream open to a host name at port 0", HostName("example.com", port: 0), ProtocolErrorReason.InvalidDestination);
        foreach (var name in new[] { "exa mple.com", "a/b", "evil\0name", "caf\u00e9.fr", "\r\nHost", ".example", "example.", "a..b", new string('x', 64) })
        {
            yield return Case($"stream open to host name \"{Escape(name)}\"", HostName(name, port: 80), ProtocolErrorReason.InvalidDestination);
        }

        var close = Encode(new CloseFrame(CloseReason.Normal, message: "bye"));
        yield return Case("close whose message length is longer than the frame", Patch(close, 5, 5), ProtocolErrorReason.InvalidLength);
        yield return Case("close whose message length is shorter than the frame", Patch(close, 5, 0), ProtocolErrorReason.InvalidLength);

        var setup = Encode(new SetupFrame(1, 1, default, 0));
        yield return Case("setup from something else (an HTTP request)", Patch(setup, 0, "GET "u8.ToArray()), ProtocolErrorReason.BadMagic);
        yield return Case("setup offering version 0", Patch(setup, 4, 0, 0, 0, 0), ProtocolErrorReason.InvalidField);
        yield return Case("setup offering an empty version range", Patch(setup, 4, 0, 3, 0, 2), ProtocolErrorReason.InvalidField);

        var setupAck = Encode(new SetupAckFrame(1, 1, default, 0));
        yield return Case("setup ack choosing version 0", Patch(setupAck, 0, 0, 0), ProtocolErrorReason.InvalidField);
        yield return Case("setup ack with token 0", Patch(setupAck, 2, new byte[8]), ProtocolErrorReason.InvalidField);

        var join = Encode(new JoinRequestFrame(1, 1, default, 0, false));
        yield return Case("join request without the magic number", Patch(join, 0, 0x50, 0x47, 0x4D, 0x51), ProtocolErrorReason.BadMagic);
        yield return Case("join request with token 0", Patch(join, 6, new byte[8]), ProtocolErrorReason.InvalidField);
        yield return Case("join request with version 0", Patch(join, 4, 0, 0), ProtocolErrorReason.InvalidField);

        var path = Encode(new PathAddFrame(1, WireAddress.FromIPAddress(IPAddress.Loopback), 80));
        yield return Case("path add with family 0", Patch(path, 1, 0), ProtocolErrorReason.InvalidAddress);
        yield return Case("path add with family 3", Patch(path, 1, 3), ProtocolErrorReason.InvalidAddress);
        yield return Case("path add of IPv6 with four address bytes", Patch(path, 1, 2), ProtocolErrorReason.InvalidLength);
        yield return Case("path add of IPv4 with sixteen address bytes", Header(FrameType.PathAdd, 0, 20, [1, 1, 0, 80, .. new byte[16]]), ProtocolErrorReason.InvalidLength);
        yield return Case("path add with path id 0", Patch(path, 0, 0), ProtocolErrorReason.InvalidField);
        yield return Case("path add with port 0", Patch(path, 2, 0, 0), ProtocolErrorReason.InvalidAddress);
        yield return Case("path add of 0.0.0.0", Patch(path, 4, 0, 0, 0, 0), ProtocolErrorReason.InvalidAddress);
    }

    [TestCaseSource(nameof(BadBodies))]
    public void A_malformed_body_is_refused_with_its_reason(BadFrame bad)
    {
        var error = DecodeError(bad.Bytes);

        Assert.That(error.Reason, Is.EqualTo(bad.Reason), error.ToString());
        Assert.That(error.RawType, Is.EqualTo(bad.Bytes[0]));
        Assert.That(error.Message, Is.Not.Empty);
    }

    [TestCaseSource(nameof(BadBodies))]
    public void A_malformed_body_is_refused_the_same_from_one_byte_segments(BadFrame bad)
    {
        var buffer = OneByteSegments(bad.Bytes);

        var status = FrameDecoder.Decode(ref buffer, out _, out var error);

        Assert.That(status, Is.EqualTo(DecodeStatus.Error));
        Assert.That(error.Reason, Is.EqualTo(bad.Reason));
    }

    [Test]
    public void A_bad_frame_after_good_ones_stops_decoding_there_and_consumes_nothing_of_it()
    {
        var good = Encode(new PingFrame(5));
        var bad = Header(FrameType.Ping, 0, 8, Int64(-1));
        var stream = good.Concat(good).Concat(bad).Concat(good).ToArray();

        var (reencoded, last, error) = Feed(stream, [stream.Length]);

        Assert.That(reencoded, Is.EqualTo(good.Concat(good)));
        Assert.That(last, Is.EqualTo(DecodeStatus.Error));
        Assert.That(error.Reason, Is.EqualTo(ProtocolErrorReason.InvalidField));
    }

    [Test]
    public void One_buffers_bad_frame_does_not_change_how_another_buffer_decodes()
    {
        var good = FrameSamples.All.Single(s => s.Name == "data with push");
        var bad = new ReadOnlySequence<byte>(Header(FrameType.Data, 0, uint.MaxValue));
        var goodBuffer = new ReadOnlySequence<byte>(good.Bytes, 0, 40);

        Assert.That(FrameDecoder.Decode(ref goodBuffer, out _, out _), Is.EqualTo(DecodeStatus.NeedMoreData));
        Assert.That(FrameDecoder.Decode(ref bad, out _, out _), Is.EqualTo(DecodeStatus.Error));
        goodBuffer = new ReadOnlySequence<byte>(good.Bytes);
        Assert.That(FrameDecoder.Decode(ref goodBuffer, out var frame, out _), Is.EqualTo(DecodeStatus.Decoded));
        Assert.That(frame.ToString(), Is.EqualTo(good.Text));
    }

    private static TestCaseData Case(string name, byte[] bytes, ProtocolErrorReason reason) =>
        new TestCaseData(new BadFrame(bytes, reason)).SetArgDisplayNames(name);

    /// <summary>A header saying <paramref name="length"/>, followed by <paramref name="body"/> (maybe less).</summary>
    private static byte[] Header(FrameType type, byte flags, uint length, ReadOnlySpan<byte> body = default)
    {
        var bytes = new byte[H + body.Length];
        bytes[0] = (byte)type;
        bytes[1] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(2), length);
        body.CopyTo(bytes.AsSpan(H));
        return bytes;
    }

    /// <summary>A copy of an encoded frame with bytes replaced, at an offset into the body.</summary>
    private static byte[] Patch(byte[] frame, int bodyOffset, params byte[] bytes)
    {
        var copy = (byte[])frame.Clone();
        bytes.CopyTo(copy, H + bodyOffset);
        return copy;
    }

    /// <summary>A stream open of stream 1 whose body goes on, after the stream id, with these bytes.</summary>
    private static byte[] StreamOpen(params byte[] afterStreamId) =>
        Header(FrameType.StreamOpen, 0, (uint)(4 + afterStreamId.Length), [0, 0, 0, 1, .. afterStreamId]);

    private static byte[] HostName(string name, ushort port)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        return StreamOpen([3, (byte)(port >> 8), (byte)port, (byte)bytes.Length, .. bytes]);
    }

    private static byte[] Int64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\x{(int)c:X2}" : c.ToString()));

    /// <summary>A refused frame and why; public because NUnit passes it to public test methods.</summary>
    public sealed class BadFrame
    {
        internal BadFrame(byte[] bytes, ProtocolErrorReason reason)
        {
            Bytes = bytes;
            Reason = reason;
        }

        internal byte[] Bytes { get; }

        internal ProtocolErrorReason Reason { get; }
    }
}
