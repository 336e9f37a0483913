using System.Diagnostics;
using ProgMp.Emulation;

namespace ProgMp.Emulation.Tests;

/// <summary>
/// The link model on a simulated clock: exact, so these tests check the delay, rate and queue rules
/// to the tick without depending on the machine's timing.
/// </summary>
public sealed class EmulatedLinkTests
{
    private static readonly long T0 = Ms(1_000);

    [Test]
    public void Bytes_become_sendable_exactly_one_delay_after_they_were_read()
    {
        using var link = new EmulatedLink();
        var profile = new PathProfile(TimeSpan.FromMilliseconds(10));
        Read(link, profile, 1_000, T0);

        var next = link.Advance(T0 + Ms(10) - 1, profile);
        Assert.Multiple(() =>
        {
            Assert.That(link.GetSendable().Length, Is.Zero);
            Assert.That(next, Is.EqualTo(T0 + Ms(10)));
        });

        link.Advance(T0 + Ms(10), profile);
        Assert.That(link.GetSendable().Length, Is.EqualTo(1_000));
    }

    [TestCase(100.0)]
    [TestCase(500.0)]
    [TestCase(1.5)]
    public void The_bottleneck_never_delivers_faster_than_its_rate_and_keeps_it_up(double mbitPerSecond)
    {
        using var link = new EmulatedLink();
        var profile = new PathProfile(TimeSpan.Zero, mbitPerSecond, queueLimitBytes: 1 << 20);
        var size = (int)(mbitPerSecond * 1e6 / 8 / 10);
        var perMillisecond = mbitPerSecond * 1e6 / 8 / 1000;
        // Step the clock in 0.25 ms; keep the queue full and write everything the link lets out.
        long sent = 0;
        var read = 0;
        var now = T0;
        for (var step = 0; sent < size && step < 10_000; step++)
        {
            while (read < size && Read(link, profile, size - read, now) is var count and > 0)
            {
                read += count;
            }

            now += Ms(0.25);
            link.Advance(now, profile);
            sent += SendAll(link);
            var allowed = (perMillisecond * (now - T0) / Ms(1)) + 16 * 1024;
            Assert.That(sent, Is.LessThanOrEqualTo(allowed), $"at {(now - T0) / (double)Ms(1)} ms");
        }

        // 100 ms of data at the rate: all of it out within a step of 100 ms.
        Assert.That((now - T0) / (double)Ms(1), Is.EqualTo(100).Within(0.5));
    }

    [Test]
    public void A_full_queue_takes_no_more_reads_until_the_bottleneck_serves_it()
    {
        using var link = new EmulatedLink();
        var profile = new PathProfile(TimeSpan.Zero, 100, queueLimitBytes: 10_000);
        Assert.That(Read(link, profile, 20_000, T0), Is.EqualTo(10_000));
        Assert.That(link.GetReadBuffer(profile).Length, Is.Zero);

        // 100 Mbit/s is 12.5 bytes per microsecond: in 400 us the first 5 000 bytes are out.
        link.Advance(T0, profile);
        link.Advance(T0 + Ms(0.4), profile);
        SendAll(link);
        Assert.Multiple(() =>
        {
            Assert.That(link.QueuedBytes, Is.LessThan(10_000));
            Assert.That(link.GetReadBuffer(profile).Length, Is.EqualTo(10_000 - link.QueuedBytes));
        });
    }

    [Test]
    public void A_destination_that_does_not_read_stops_the_bottleneck_at_the_in_flight_limit()
    {
        using var link = new EmulatedLink();
        var profile = new PathProfile(TimeSpan.Zero, 100, queueLimitBytes: 100_000);
        var now = T0;
        for (var i = 0; i < 1_000; i++)
        {
            Read(link, profile, 100_000, now);
            now += Ms(1);
            link.Advance(now, profile);
        }

        Assert.Multiple(() =>
        {
            Assert.That(link.InFlightBytes, Is.LessThanOrEqualTo(EmulatedLink.InFlightLimit(profile) + (16 * 1024)));
            Assert.That(link.QueuedBytes, Is.EqualTo(100_000));
            Assert.That(link.GetReadBuffer(profile).Length, Is.Zero);
        });
    }

    [Test]
    public void Bytes_come_out_in_order_across_blocks_from_reads_of_any_size()
    {
        using var link = new EmulatedLink();
        var profile = new PathProfile(TimeSpan.Zero, null, queueLimitBytes: 1 << 20);
        var random = new Random(7);
        var input = new byte[3 * EmulatedLink.BlockSize + 123];
        random.NextBytes(input);
        using var output = new MemoryStream();
        var offset = 0;
        while (offset < input.Length)
        {
            var buffer = link.GetReadBuffer(profile);
            var count = Math.Min(Math.Min(buffer.Length, random.Next(1, 5_000)), input.Length - offset);
            input.AsSpan(offset, count).CopyTo(buffer.Span);
            link.CommitRead(count, T0);
            offset += count;
            link.Advance(T0, profile);
            if (random.Next(3) == 0)
            {
                var sendable = link.GetSendable();
                var part = random.Next(0, sendable.Length + 1);
                output.Write(sendable.Span[..part]);
                link.CommitSend(part);
            }
        }

        // As the relay's write loop does: advance again after writing, as writing makes room in flight.
        while (link.Sent < link.Received)
        {
            link.Advance(T0, profile);
            var rest = link.GetSendable();
            output.Write(rest.Span);
            link.CommitSend(rest.Length);
        }

        // SequenceEqual, not Is.EqualTo: NUnit compares a 200 KB array element by element, boxed.
        Assert.That(output.ToArray().AsSpan().SequenceEqual(input), Is.True);
    }

    [Test]
    public void The_end_of_the_stream_is_forwarded_after_the_last_byte_and_the_delay()
    {
        using var link = new EmulatedLink();
        var profile = new PathProfile(TimeSpan.FromMilliseconds(5));
        Read(link, profile, 100, T0);
        link.CommitRead(0, T0 + Ms(1));
        link.Advance(T0 + Ms(5), profile);
        Assert.That(link.IsComplete, Is.False, "bytes still unsent");
        SendAll(link);
        Assert.That(link.IsComplete, Is.False, "the end has not spent its delay");
        link.Advance(T0 + Ms(6), profile);
        Assert.Multiple(() =>
        {
            Assert.That(link.IsComplete, Is.True);
            Assert.That(link.GetReadBuffer(profile).Length, Is.Zero);
        });
    }

    [Test]
    public void After_resuming_the_queue_is_served_at_the_rate_not_in_a_burst()
    {
        using var link = new EmulatedLink();
        var profile = new PathProfile(TimeSpan.Zero, 100, queueLimitBytes: 200_000);
        Read(link, profile, 200_000, T0);
        var resumed = T0 + Ms(1_000);
        link.ResumeAt(resumed);
        link.Advance(resumed + Ms(1), profile);
        var sent = SendAll(link);
        Assert.That(sent, Is.LessThanOrEqualTo(12_500 + (16 * 1024)));
    }

    [Test]
    public void A_faster_profile_applies_to_bytes_already_queued()
    {
        using var link = new EmulatedLink();
        var slow = new PathProfile(TimeSpan.FromMilliseconds(100));
        Read(link, slow, 1_000, T0);
        link.Advance(T0 + Ms(1), slow);
        Assert.That(link.GetSendable().Length, Is.Zero);
        link.Advance(T0 + Ms(1), new PathProfile(TimeSpan.Zero));
        Assert.That(link.GetSendable().Length, Is.EqualTo(1_000));
    }

    private static long Ms(double milliseconds) => (long)(milliseconds * Stopwatch.Frequency / 1000);

    private static int Read(EmulatedLink link, PathProfile profile, int count, long now)
    {
        var buffer = link.GetReadBuffer(profile);
        var taken = Math.Min(buffer.Length, count);
        if (taken > 0)
        {
            link.CommitRead(taken, now);
        }

        return taken;
    }

    private static long SendAll(EmulatedLink link)
    {
        long sent = 0;
        while (link.GetSendable() is { IsEmpty: false } chunk)
        {
            link.CommitSend(chunk.Length);
            sent += chunk.Length;
        }

        return sent;
    }
}
