using System.Net;
using ProgMp.Engine.Wire;
using static ProgMp.Engine.Tests.Wire.WireTestKit;

namespace ProgMp.Engine.Tests.Wire;

/// <summary>
/// The bytes docs/protocol.md documents, written out by hand: if a layout changes, these fail and the
/// document (and the protocol version) must change with it.
/// </summary>
public sealed class FrameLayoutTests
{
    [Test]
    public void A_ping_is_laid_out_as_documented()
    {
        var bytes = Encode(new PingFrame(0x0102_0304_0506_0708));

        Assert.That(bytes, Is.EqualTo(new byte[] { 0x20, 0x00, 0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8 }));
    }

    [Test]
    public void A_data_frame_is_laid_out_as_documented()
    {
        var bytes = Encode(new DataFrame(0x0A0B_0C0D, 0x11, 0x22, 0x0304, new byte[] { 0xAA, 0xBB }, push: true, fin: true));

        Assert.That(bytes, Is.EqualTo(new byte[]
        {
            0x11, 0x03, 0, 0, 0, 24,
            0x0A, 0x0B, 0x0C, 0x0D,
            0, 0, 0, 0, 0, 0, 0, 0x11,
            0, 0, 0, 0, 0, 0, 0, 0x22,
            0x03, 0x04,
            0xAA, 0xBB,
        }));
    }

    [Test]
    public void The_data_prefix_is_the_data_frame_without_its_payload()
    {
        var data = new DataFrame(5, 1_000, 2_000, 7, FrameSamples.Pattern(300, 1), push: true);
        var whole = Encode(data);
        var prefix = new byte[FrameEncoder.DataPrefixLength];

        var written = FrameEncoder.WriteDataPrefix(prefix, data);

        Assert.That(written, Is.EqualTo(28));
        Assert.That(prefix, Is.EqualTo(whole.Take(28)));
    }

    [Test]
    public void A_data_ack_is_laid_out_as_documented()
    {
        var bytes = Encode(new DataAckFrame(1, 0x0203, 0x0405, 0x0607, new AckEcho(0x08, 0x09, 0x0A, 0x0B, 0x0C)));

        Assert.That(bytes, Is.EqualTo(new byte[]
        {
            0x12, 0x01, 0, 0, 0, 50,
            0, 0, 0, 1,
            0, 0, 0x04, 0x05,
            0, 0, 0, 0, 0, 0, 0x02, 0x03,
            0, 0, 0, 0, 0, 0, 0x06, 0x07,
            0, 0, 0, 0, 0, 0, 0, 0x08,
            0, 0, 0, 0, 0, 0, 0, 0x0A,
            0, 0, 0, 0x09,
            0, 0, 0, 0x0C,
            0, 0x0B,
        }));
    }

    [Test]
    public void A_stream_open_to_a_host_name_is_laid_out_as_documented()
    {
        var bytes = Encode(new StreamOpenFrame(3, Destination.FromHostName("ab.c", 0x1F90)));

        Assert.That(bytes, Is.EqualTo(new byte[]
        {
            0x10, 0x00, 0, 0, 0, 12,
            0, 0, 0, 3,
            3,
            0x1F, 0x90,
            4, (byte)'a', (byte)'b', (byte)'.', (byte)'c',
        }));
    }

    [Test]
    public void A_stream_open_to_IPv4_is_laid_out_as_documented()
    {
        var bytes = Encode(new StreamOpenFrame(1, Destination.FromAddress(IPAddress.Parse("192.0.2.1"), 443)));

        Assert.That(bytes, Is.EqualTo(new byte[] { 0x10, 0, 0, 0, 0, 11, 0, 0, 0, 1, 1, 0x01, 0xBB, 192, 0, 2, 1 }));
    }

    [Test]
    public void A_setup_is_laid_out_as_documented()
    {
        var bytes = Encode(new SetupFrame(1, 2, FrameSamples.Key(0), 0x0001_0000));

        Assert.That(bytes.Take(14), Is.EqualTo(new byte[] { 0x01, 0x00, 0, 0, 0, 44, (byte)'P', (byte)'G', (byte)'M', (byte)'P', 0, 1, 0, 2 }));
        Assert.That(bytes.Skip(14).Take(32), Is.EqualTo(FrameSamples.Pattern(32, 0)));
        Assert.That(bytes.Skip(46), Is.EqualTo(new byte[] { 0, 1, 0, 0 }));
    }

    [Test]
    public void A_join_request_is_laid_out_as_documented()
    {
        var bytes = Encode(new JoinRequestFrame(1, 0x0102_0304_0506_0708, FrameSamples.Nonce(0), 9, backup: true));

        Assert.That(bytes.Take(20), Is.EqualTo(new byte[]
        {
            0x03, 0x01, 0, 0, 0, 31, (byte)'P', (byte)'G', (byte)'M', (byte)'P', 0, 1, 1, 2, 3, 4, 5, 6, 7, 8,
        }));
        Assert.That(bytes.Skip(20).Take(16), Is.EqualTo(FrameSamples.Pattern(16, 0)));
        Assert.That(bytes[36], Is.EqualTo(9));
    }

    [Test]
    public void A_close_is_laid_out_as_documented()
    {
        var bytes = Encode(new CloseFrame(CloseReason.UnsupportedVersion, 1, 0x01, "v"));

        Assert.That(bytes, Is.EqualTo(new byte[] { 0x07, 0, 0, 0, 0, 7, 0, 4, 0, 1, 0x01, 1, (byte)'v' }));
    }

    [Test]
    public void A_path_add_is_laid_out_as_documented()
    {
        var bytes = Encode(new PathAddFrame(2, WireAddress.FromIPAddress(IPAddress.Parse("10.0.0.2")), 5000, backup: true));

        Assert.That(bytes, Is.EqualTo(new byte[] { 0x30, 0x01, 0, 0, 0, 8, 2, 1, 0x13, 0x88, 10, 0, 0, 2 }));
    }

    [Test]
    public void The_other_small_frames_are_laid_out_as_documented()
    {
        Assert.That(Encode(new StreamResetFrame(2, StreamResetReason.ConnectionRefused)), Is.EqualTo(new byte[] { 0x13, 0, 0, 0, 0, 6, 0, 0, 0, 2, 0, 3 }));
        Assert.That(Encode(new PongFrame(1, 2, 3)), Is.EqualTo(new byte[] { 0x21, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 3 }));
        Assert.That(Encode(new PathRemoveFrame(4)), Is.EqualTo(new byte[] { 0x31, 0, 0, 0, 0, 1, 4 }));
        Assert.That(Encode(new PathPriorityFrame(4, backup: true)), Is.EqualTo(new byte[] { 0x32, 1, 0, 0, 0, 1, 4 }));
        Assert.That(Encode(default(JoinAcceptFrame)), Is.EqualTo(new byte[] { 0x06, 0, 0, 0, 0, 0 }));
    }
}
