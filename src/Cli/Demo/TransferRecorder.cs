using System.Text.Json;
using ProgMp.Engine;

namespace ProgMp.Cli.Demo;

/// <summary>
/// Samples the client's statistics at a steady pace and keeps the history the view, the summary and
/// the plot read. A path's bytes are the sums of its subflows' <c>BytesSent</c> deltas, because a
/// subflow that dies takes its counters with it and a re-opened path starts a new one from zero.
/// </summary>
internal sealed class TransferRecorder
{
    private readonly int _pathCount;
    private readonly Dictionary<long, (long Sent, long Retransmitted)> _lastBySubflow = [];
    private readonly long[] _sent;
    private readonly long[] _retransmitted;
    private readonly List<DemoSample> _samples = [];

    public TransferRecorder(int pathCount)
    {
        _pathCount = pathCount;
        _sent = new long[pathCount];
        _retransmitted = new long[pathCount];
    }

    public IReadOnlyList<DemoSample> Samples => _samples;

    public DemoSample? Last => _samples.Count == 0 ? null : _samples[^1];

    public DemoSample Record(TimeSpan time, DemoPhase phase, SessionStatistics statistics, long bytesRead, IReadOnlyList<bool> failed)
    {
        var current = new SubflowStatistics?[_pathCount];
        foreach (var subflow in statistics.Subflows)
        {
            if (subflow.PathId < 0 || subflow.PathId >= _pathCount)
            {
                continue;
            }

            _lastBySubflow.TryGetValue(subflow.Id, out var last);
            _sent[subflow.PathId] += subflow.BytesSent - last.Sent;
            _retransmitted[subflow.PathId] += subflow.RetransmittedBytes - last.Retransmitted;
            _lastBySubflow[subflow.Id] = (subflow.BytesSent, subflow.RetransmittedBytes);
            if (current[subflow.PathId] is not { } best || Rank(subflow.State) < Rank(best.State))
            {
                current[subflow.PathId] = subflow;
            }
        }

        var paths = new PathSample[_pathCount];
        for (var i = 0; i < _pathCount; i++)
        {
            var subflow = current[i];
            paths[i] = new PathSample
            {
                BytesSent = _sent[i],
                RetransmittedBytes = _retransmitted[i],
                SubflowId = subflow?.Id,
                SubflowState = subflow?.State is { } state ? JsonNamingPolicy.CamelCase.ConvertName(state.ToString()) : null,
                Failed = failed[i],
                RttMilliseconds = (subflow?.RttMicroseconds ?? 0) / 1000.0,
                CongestionWindow = subflow?.CongestionWindow ?? 0,
                InFlight = subflow?.InFlight ?? 0,
                Queued = subflow?.Queued ?? 0,
            };
        }

        var sample = new DemoSample(time, phase, paths, bytesRead);
        _samples.Add(sample);
        return sample;
    }

    /// <summary>
    /// Mbit/s of path <paramref name="path"/> (or of the reader, for -1) over about <paramref name="window"/>
    /// up to sample <paramref name="index"/>: the difference of cumulative counts, so nothing is missed between samples.
    /// </summary>
    public double RateMbit(int index, int path, TimeSpan window)
    {
        var end = _samples[index];
        var startIndex = index;
        while (startIndex > 0 && end.Time - _samples[startIndex - 1].Time <= window + TimeSpan.FromMilliseconds(1))
        {
            startIndex--;
        }

        var start = _samples[startIndex];
        return Rate(start, end, path);
    }

    /// <summary>Mbit/s of path <paramref name="path"/> (or of the reader, for -1) between two samples.</summary>
    public static double Rate(DemoSample start, DemoSample end, int path)
    {
        var seconds = (end.Time - start.Time).TotalSeconds;
        if (seconds <= 0)
        {
            return 0;
        }

        var bytes = path < 0 ? end.BytesRead - start.BytesRead : end.Paths[path].BytesSent - start.Paths[path].BytesSent;
        return bytes * 8 / seconds / 1e6;
    }

    private static int Rank(SubflowState state) => state switch
    {
        SubflowState.Active => 0,
        SubflowState.Suspected => 1,
        _ => 2,
    };
}
