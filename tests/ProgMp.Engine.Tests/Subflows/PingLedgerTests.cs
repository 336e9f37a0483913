using ProgMp.Engine.Subflows;

namespace ProgMp.Engine.Tests.Subflows;

/// <summary>Only a pong that echoes a ping actually sent, and not yet answered, counts.</summary>
public sealed class PingLedgerTests
{
    [Test]
    public void A_pong_counts_once_and_only_for_a_ping_that_was_sent()
    {
        var ledger = new PingLedger();
        ledger.Sent(1_000);
        ledger.Sent(2_000);
        Assert.Multiple(() =>
        {
            Assert.That(ledger.TryAnswer(1_500), Is.False, "a timestamp no ping had");
            Assert.That(ledger.TryAnswer(0), Is.False);
            Assert.That(ledger.TryAnswer(1_000), Is.True, "an older ping's late answer still proves the path");
            Assert.That(ledger.TryAnswer(1_000), Is.False, "answered already");
            Assert.That(ledger.TryAnswer(2_000), Is.True);
        });
    }

    [Test]
    public void Only_the_latest_pings_are_remembered()
    {
        var ledger = new PingLedger();
        for (var i = 1; i <= 20; i++)
        {
            ledger.Sent(i);
        }

        Assert.Multiple(() =>
        {
            Assert.That(ledger.TryAnswer(1), Is.False);
            Assert.That(ledger.TryAnswer(20), Is.True);
            Assert.That(ledger.TryAnswer(13), Is.True);
        });
    }
}
