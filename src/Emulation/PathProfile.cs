using System.Globalization;

namespace ProgMp.Emulation;

/// <summary>
/// What one direction of an emulated path does to bytes: a one-way propagation delay, a bottleneck
/// rate, and the bounded queue in front of that bottleneck. Immutable, so a running emulator swaps
/// the whole profile at once.
/// </summary>
public sealed record PathProfile
{
    /// <summary>The smallest default queue, as tbf's usual burst of 64 KiB.</summary>
    public const int MinimumDefaultQueueBytes = 64 * 1024;

    /// <summary>The default queue holds this much time at the bottleneck rate (like a tbf latency of 20 ms).</summary>
    public static readonly TimeSpan DefaultQueueTime = TimeSpan.FromMilliseconds(20);

    /// <summary>No delay, no rate limit: a plain relay.</summary>
    public static readonly PathProfile Unlimited = new(TimeSpan.Zero);

    /// <summary>A profile with a one-way delay, an optional rate limit and an optional queue limit (null: the default for the rate).</summary>
    public PathProfile(TimeSpan oneWayDelay, double? rateMbitPerSecond = null, int? queueLimitBytes = null)
    {
        OneWayDelay = oneWayDelay;
        RateMbitPerSecond = rateMbitPerSecond;
        QueueLimitBytes = queueLimitBytes;
    }

    /// <summary>Bytes read at time t are written on no earlier than t + this.</summary>
    public TimeSpan OneWayDelay
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            field = value;
        }
    }

    /// <summary>The bottleneck rate in Mbit/s (10^6 bits per second); null for unlimited.</summary>
    public double? RateMbitPerSecond
    {
        get;
        init
        {
            if (value is { } rate && (!double.IsFinite(rate) || rate <= 0))
            {
                throw new ArgumentOutOfRangeException(nameof(value), rate, "A rate must be positive and finite, or null for unlimited.");
            }

            field = value;
        }
    }

    /// <summary>
    /// Bytes the bottleneck queue may hold before the relay stops reading (so TCP backpressure reaches
    /// the sender); null for the default, max(64 KiB, rate x 20 ms).
    /// </summary>
    public int? QueueLimitBytes
    {
        get;
        init
        {
            if (value is { } limit)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
            }

            field = value;
        }
    }

    /// <summary>The queue limit in force: <see cref="QueueLimitBytes"/> or its default.</summary>
    public int EffectiveQueueLimitBytes => QueueLimitBytes ?? DefaultQueueLimit(RateMbitPerSecond);

    /// <summary>The rate in bytes per second, or null for unlimited.</summary>
    public double? RateBytesPerSecond => RateMbitPerSecond * 1_000_000 / 8;

    /// <summary>The profile for logs, e.g. <c>delay 10 ms, rate 20 Mbit/s, queue 65536 B</c>.</summary>
    public override string ToString()
    {
        var rate = RateMbitPerSecond is { } r ? r.ToString("0.###", CultureInfo.InvariantCulture) + " Mbit/s" : "unlimited";
        return string.Create(CultureInfo.InvariantCulture, $"delay {OneWayDelay.TotalMilliseconds:0.###} ms, rate {rate}, queue {EffectiveQueueLimitBytes} B");
    }

    private static int DefaultQueueLimit(double? rateMbitPerSecond)
    {
        if (rateMbitPerSecond is not { } rate)
        {
            return MinimumDefaultQueueBytes;
        }

        var bytes = rate * 1_000_000 / 8 * DefaultQueueTime.TotalSeconds;
        return (int)Math.Clamp(bytes, MinimumDefaultQueueBytes, int.MaxValue);
    }
}
