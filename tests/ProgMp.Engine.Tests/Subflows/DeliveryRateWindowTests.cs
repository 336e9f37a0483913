using ProgMp.Engine.Subflows;

namespace ProgMp.Engine.Tests.Subflows;

/// <summary>
/// The window from its inputs, driven directly: packets of 1000 bytes, a path delivering 1,000,000 bytes
/// a second with a least RTT of 49 ms (50 ms with the engine's 1 ms turnaround), so one bandwidth-delay
/// product is 50 packets and the window without waiting acknowledgements is 1.5 × 50 + 2 = 77.
/// </summary>
public sealed class DeliveryRateWindowTests
{
    private const int PacketSize = 1000;
    private const long RateBytesPerSecond = 1_000_000;
    private const long MinRttUs = 49_000;
    private const long NowUs = 5_000_000;

    [TestCase(0, RateBytesPerSecond, 77, TestName = "Acknowledgements at their quickest add nothing")]
    [TestCase(20_000, RateBytesPerSecond, 97, TestName = "A wait on the way back adds what the path delivers meanwhile, without the gain")]
    [TestCase(20_000, RateBytesPerSecond / 2, 87, TestName = "The wait is covered at the rate delivered, not the highest sampled")]
    [TestCase(100_000, RateBytesPerSecond, 177, TestName = "A wait of two least round trips is covered")]
    [TestCase(5_000_000, RateBytesPerSecond, 177, TestName = "A longer wait is covered for two least round trips only")]
    public void The_window_covers_acknowledgements_that_wait_on_their_way_back(long ackWaitUs, long deliveredLastSecond, long expected)
    {
        var window = new DeliveryRateWindow(PacketSize);

        window.OnRateSample(RateBytesPerSecond, 1_000_000, MinRttUs, ackWaitUs, deliveredLastSecond, NowUs);

        Assert.That(window.Window, Is.EqualTo(expected));
    }

    [Test]
    public void The_slow_start_threshold_stays_one_bandwidth_delay_product_whatever_the_wait()
    {
        var window = new DeliveryRateWindow(PacketSize);
        window.OnRateSample(RateBytesPerSecond, 1_000_000, MinRttUs, 0, RateBytesPerSecond, NowUs);
        for (var round = 0; round < 4; round++)
        {
            window.OnRoundEnd();
        }

        window.OnRateSample(RateBytesPerSecond, 1_000_000, MinRttUs, 40_000, RateBytesPerSecond, NowUs + 1_000);

        Assert.Multiple(() =>
        {
            Assert.That(window.SlowStartThreshold, Is.EqualTo(50));
            Assert.That(window.Window, Is.EqualTo(77 + 40));
        });
    }
}
