using ProgMp.Engine.Sessions;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Sessions;

/// <summary>The bookkeeping of streams no longer open stays small and still answers late data right.</summary>
public sealed class EndedStreamsTests
{
    [Test]
    public void Peer_stream_opens_must_rise_and_a_lower_one_is_a_late_copy()
    {
        var ended = new EndedStreams();
        Assert.Multiple(() =>
        {
            Assert.That(ended.TryOpenPeerStream(1), Is.True);
            Assert.That(ended.TryOpenPeerStream(5), Is.True, "ids may be skipped");
            Assert.That(ended.TryOpenPeerStream(3), Is.False);
            Assert.That(ended.TryOpenPeerStream(5), Is.False);
            Assert.That(ended.HighestPeerOpened, Is.EqualTo(5u));
        });
    }

    [Test]
    public void A_remembered_reset_is_answered_with_its_reason_and_a_clean_end_with_none()
    {
        var ended = new EndedStreams();
        ended.Aborted(7, StreamResetReason.Refused);
        Assert.Multiple(() =>
        {
            Assert.That(ended.TryGetReset(7, out var reason), Is.True);
            Assert.That(reason, Is.EqualTo(StreamResetReason.Refused));
            Assert.That(ended.TryGetReset(9, out _), Is.False, "a stream that ended cleanly is acknowledged");
        });
    }

    [Test]
    public void Resets_past_the_bound_are_forgotten_but_late_data_for_them_still_gets_a_reset()
    {
        var ended = new EndedStreams();
        const int extra = 10;
        for (uint i = 0; i < EndedStreams.AbortsRemembered + extra; i++)
        {
            ended.Aborted(1 + (2 * i), StreamResetReason.ConnectionRefused);
        }

        var lastForgotten = 1 + (2u * (extra - 1));
        Assert.Multiple(() =>
        {
            Assert.That(ended.AbortCount, Is.EqualTo(EndedStreams.AbortsRemembered));
            Assert.That(ended.TryGetReset(1, out var forgotten), Is.True, "never an acknowledgement of bytes that were not taken");
            Assert.That(forgotten, Is.EqualTo(StreamResetReason.Cancelled));
            Assert.That(ended.TryGetReset(lastForgotten + 2, out var kept), Is.True);
            Assert.That(kept, Is.EqualTo(StreamResetReason.ConnectionRefused));
            Assert.That(ended.TryGetReset(lastForgotten + (2u * (EndedStreams.AbortsRemembered + 5)), out _), Is.False, "above every forgotten one, a clean end is still known");
            Assert.That(ended.TryGetReset(2, out _), Is.False, "the other side's ids have forgotten nothing");
        });
    }
}
