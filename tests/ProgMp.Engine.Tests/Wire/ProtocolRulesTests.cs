using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Wire;

/// <summary>Version negotiation and stream id allocation.</summary>
public sealed class ProtocolRulesTests
{
    [TestCase((ushort)1, (ushort)1, ExpectedResult = 1)]
    [TestCase((ushort)1, (ushort)5, ExpectedResult = 1)]
    [TestCase((ushort)2, (ushort)5, ExpectedResult = 0)]
    [TestCase((ushort)7, (ushort)7, ExpectedResult = 0)]
    public int A_server_picks_the_highest_version_both_speak_or_none(ushort peerMin, ushort peerMax)
    {
        var agreed = ProtocolVersion.TryNegotiate(peerMin, peerMax, out var version);

        Assert.That(agreed, Is.EqualTo(version != 0));
        return version;
    }

    [Test]
    public void A_setup_with_no_common_version_is_refused_with_the_servers_highest_version()
    {
        var setup = WireTestKit.DecodeOne(WireTestKit.Encode(new SetupFrame(2, 3, default, 0))).Setup;
        var agreed = ProtocolVersion.TryNegotiate(setup.MinVersion, setup.MaxVersion, out _);

        var refusal = WireTestKit.DecodeOne(WireTestKit.Encode(ProtocolVersion.UnsupportedVersionClose())).Close;

        Assert.That(agreed, Is.False);
        Assert.That(refusal.Reason, Is.EqualTo(CloseReason.UnsupportedVersion));
        Assert.That(refusal.Detail, Is.EqualTo(ProtocolVersion.Max));
        Assert.That(refusal.RawFrameType, Is.Zero);
    }

    [Test]
    public void The_client_opens_odd_stream_ids_and_the_server_even_ones()
    {
        Assert.That(StreamIds.First(isClient: true), Is.EqualTo(1u));
        Assert.That(StreamIds.First(isClient: false), Is.EqualTo(2u));
        Assert.That(StreamIds.IsOpenedBy(7, isClient: true), Is.True);
        Assert.That(StreamIds.IsOpenedBy(7, isClient: false), Is.False);
        Assert.That(StreamIds.IsOpenedBy(8, isClient: false), Is.True);
        Assert.That(StreamIds.IsOpenedBy(0, isClient: false), Is.False);
    }

    [Test]
    public void Stream_ids_advance_by_two_until_they_run_out()
    {
        Assert.That(StreamIds.TryNext(1, out var next), Is.True);
        Assert.That(next, Is.EqualTo(3u));
        Assert.That(StreamIds.TryNext(uint.MaxValue - 2, out next), Is.True);
        Assert.That(next, Is.EqualTo(uint.MaxValue));
        Assert.That(StreamIds.TryNext(uint.MaxValue, out _), Is.False);
        Assert.That(StreamIds.TryNext(uint.MaxValue - 1, out _), Is.False);
    }
}
