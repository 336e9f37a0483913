using System.Security.Cryptography;

namespace ProgMp.Cli.Demo;

/// <summary>
/// The receiving application: reads the stream to its end, hashes it, and notes when bytes arrived,
/// so that stalls are measured where a user feels them, at the reader, not inside the engine.
/// </summary>
internal sealed class ReceiveProbe
{
    /// <summary>Gaps shorter than this are ordinary pacing between reads and are not kept.</summary>
    public static readonly TimeSpan NotableGap = TimeSpan.FromMilliseconds(20);

    // Enough for a gap every 20 ms over an hour's run; the longest gap is tracked apart from the list.
    private const int MaxGapsKept = 200_000;

    private readonly DemoClock _clock;
    private readonly Lock _gate = new();
    private readonly List<DeliveryGap> _gaps = [];
    private long _read;
    private TimeSpan _firstByte;
    private TimeSpan _lastByte;
    private DeliveryGap _longest;

    public ReceiveProbe(DemoClock clock)
    {
        _clock = clock;
    }

    public long BytesRead => Interlocked.Read(ref _read);

    /// <summary>The SHA-256 of everything read, once the stream ended.</summary>
    public byte[]? Hash { get; private set; }

    public TimeSpan FirstByte
    {
        get
        {
            lock (_gate)
            {
                return _firstByte;
            }
        }
    }

    public TimeSpan LastByte
    {
        get
        {
            lock (_gate)
            {
                return _lastByte;
            }
        }
    }

    /// <summary>The longest time without a byte so far, between the first and the last byte.</summary>
    public DeliveryGap LongestGap
    {
        get
        {
            lock (_gate)
            {
                return _longest;
            }
        }
    }

    /// <summary>Every gap of at least <see cref="NotableGap"/>, in order.</summary>
    public IReadOnlyList<DeliveryGap> Gaps
    {
        get
        {
            lock (_gate)
            {
                return [.. _gaps];
            }
        }
    }

    public async Task RunAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        while (true)
        {
            var n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            var now = _clock.Elapsed;
            hash.AppendData(buffer, 0, n);
            Record(now);
            Interlocked.Add(ref _read, n);
        }

        Hash = hash.GetHashAndReset();
    }

    private void Record(TimeSpan now)
    {
        lock (_gate)
        {
            if (_read == 0)
            {
                _firstByte = now;
            }
            else
            {
                var gap = new DeliveryGap(_lastByte, now);
                if (gap.Length > _longest.Length)
                {
                    _longest = gap;
                }

                if (gap.Length >= NotableGap && _gaps.Count < MaxGapsKept)
                {
                    _gaps.Add(gap);
                }
            }

            _lastByte = now;
        }
    }
}
