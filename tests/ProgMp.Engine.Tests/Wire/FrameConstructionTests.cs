using System.Net;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Wire;

/// <summary>
/// The sending side refuses to make a frame the receiving side would refuse, so that a bug in the
/// engine shows as an exception where it happens rather than as a session the peer closes.
/// </summary>
public sealed class FrameConstructionTests
{
    [Test]
    public void A_data_frame_outside_the_rules_cannot_be_made()
    {
        var payload = new byte[1];

        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DataFrame(0, 0, 0, 0, payload));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DataFrame(1, -1, 0, 0, payload));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DataFrame(1, 0, -1, 0, payload));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DataFrame(1, long.MaxValue - 1, 0, 0, payload));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DataFrame(1, 0, 0, 0, new byte[WireFormat.MaxDataPayload + 1]));
        Assert.Throws<ArgumentException>(() => _ = new DataFrame(1, 0, 0, 0, ReadOnlyMemory<byte>.Empty));
    }

    [Test]
    public void Other_frames_outside_the_rules_cannot_be_made()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SetupFrame(0, 1, default, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SetupFrame(2, 1, default, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SetupAckFrame(1, 0, default, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new JoinRequestFrame(1, 0, default, 0, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new StreamOpenFrame(0, Destination.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new StreamResetFrame(0, StreamResetReason.Cancelled));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DataAckFrame(0, 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DataAckFrame(1, 0, 0, 0, new AckEcho(0, WireFormat.MaxDataPayload + 1, 0, 0, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PingFrame(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PathAddFrame(0, WireAddress.FromIPAddress(IPAddress.Loopback), 80));
        Assert.Throws<ArgumentException>(() => _ = new PathAddFrame(1, WireAddress.FromIPAddress(IPAddress.IPv6Any), 80));
    }

    [Test]
    public void Writing_into_too_small_a_buffer_writes_nothing_and_says_so()
    {
        var buffer = new byte[FrameEncoder.GetLength(new PingFrame(1)) - 1];

        var fitted = FrameEncoder.TryWrite(buffer, new PingFrame(1), out var written);

        Assert.That(fitted, Is.False);
        Assert.That(written, Is.Zero);
        Assert.That(buffer, Is.All.EqualTo(0));
        Assert.Throws<ArgumentException>(() => FrameEncoder.Write(new byte[3], new PingFrame(1)));
    }
}
