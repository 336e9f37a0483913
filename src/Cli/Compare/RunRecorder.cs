namespace ProgMp.Cli.Compare;

/// <summary>
/// What the applications of one run saw, recorded as it happens from any thread: bytes delivered
/// (both directions, headers excluded), flow and page completion times, round-trip times. Each list
/// is bounded; past <see cref="Capacity"/> further samples are counted in <see cref="Dropped"/>, not kept.
/// </summary>
internal sealed class RunRecorder
{
    public const int MaxSamples = 1_000_000;

    private readonly Lock _gate = new();
    private readonly List<double> _flowMs = [];
    private readonly List<double> _pageMs = [];
    private readonly List<double> _rttMs = [];
    private long _delivered;
    private long _dropped;

    public RunRecorder(int capacity = MaxSamples)
    {
        Capacity = capacity;
    }

    /// <summary>Samples kept per list at most.</summary>
    public int Capacity { get; }

    /// <summary>Samples of any list that arrived when it was full.</summary>
    public long Dropped
    {
        get
        {
            lock (_gate)
            {
                return _dropped;
            }
        }
    }

    public long DeliveredBytes => Interlocked.Read(ref _delivered);

    public void Delivered(long bytes) => Interlocked.Add(ref _delivered, bytes);

    public void FlowCompleted(TimeSpan time) => Add(_flowMs, time);

    public void PageCompleted(TimeSpan time) => Add(_pageMs, time);

    public void RoundTrip(TimeSpan time) => Add(_rttMs, time);

    public IReadOnlyList<double> FlowMilliseconds => Copy(_flowMs);

    public IReadOnlyList<double> PageMilliseconds => Copy(_pageMs);

    public IReadOnlyList<double> RoundTripMilliseconds => Copy(_rttMs);

    private void Add(List<double> list, TimeSpan time)
    {
        lock (_gate)
        {
            if (list.Count < Capacity)
            {
                list.Add(time.TotalMilliseconds);
            }
            else
            {
                _dropped++;
            }
        }
    }

    private List<double> Copy(List<double> list)
    {
        lock (_gate)
        {
            return [.. list];
        }
    }
}
