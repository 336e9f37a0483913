using System.Collections.Concurrent;

namespace ProgMp.Cli.Compare;

/// <summary>The flows of one run by id. Bounded: past <see cref="Capacity"/> a workload starts no more flows, and <see cref="Full"/> says so.</summary>
internal sealed class FlowTable
{
    public const int MaxFlows = 100_000;

    private readonly ConcurrentDictionary<int, Flow> _flows = new();
    private int _next;

    public FlowTable(int capacity = MaxFlows)
    {
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>True once a flow was refused for want of room: the workloads that asked stopped there.</summary>
    public bool Full => Volatile.Read(ref _next) > Capacity;

    public IReadOnlyList<Flow> Snapshot() => [.. _flows.Values];

    /// <summary>A new flow, or null when the table is full.</summary>
    public Flow? Add(WorkloadKind kind, long responseBytes, CbrReceiver? cbr = null)
    {
        var id = Interlocked.Increment(ref _next);
        if (id > Capacity)
        {
            return null;
        }

        var flow = new Flow(id, kind, responseBytes, cbr);
        _flows[id] = flow;
        return flow;
    }

    public Flow? Find(int id) => _flows.TryGetValue(id, out var flow) ? flow : null;
}
