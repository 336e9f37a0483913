namespace ProgMp.Cli.Compare;

/// <summary>
/// One direction of one stream, as its reading application feels it: the longest time it waited
/// while bytes written to it were on their way and none arrived. The wait starts at the later of the
/// last read and the write that found nothing outstanding, so an idle stream is no stall, and the first
/// byte after idle includes the path's one-way delay.
/// </summary>
internal sealed class StallWatch
{
    private readonly Lock _gate = new();
    private long _outstanding;
    private TimeSpan _waitingSince;
    private TimeSpan _longest;

    /// <summary>The longest wait up to <paramref name="now"/>, a wait still going on included (a reader that never got its bytes waited all along).</summary>
    public TimeSpan LongestAt(TimeSpan now)
    {
        lock (_gate)
        {
            return _outstanding > 0 && now - _waitingSince > _longest ? now - _waitingSince : _longest;
        }
    }

    /// <summary>The writer is about to hand <paramref name="bytes"/> to the stream (call before the write, so a read never precedes it).</summary>
    public void Wrote(long bytes, TimeSpan now)
    {
        lock (_gate)
        {
            if (_outstanding <= 0)
            {
                _waitingSince = now;
            }

            _outstanding += bytes;
        }
    }

    /// <summary>The reader got <paramref name="bytes"/>.</summary>
    public void Read(long bytes, TimeSpan now)
    {
        lock (_gate)
        {
            if (now - _waitingSince > _longest)
            {
                _longest = now - _waitingSince;
            }

            _outstanding -= bytes;
            _waitingSince = now;
        }
    }
}
