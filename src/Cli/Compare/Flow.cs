using ProgMp.Engine;

namespace ProgMp.Cli.Compare;

/// <summary>
/// One stream of a run, known to both ends in this process by its id, which the client writes as the
/// stream's first bytes: that id is the side channel through which the server finds what to do and
/// both ends time the same stream on one clock.
/// </summary>
internal sealed class Flow
{
    private readonly TaskCompletionSource<TimeSpan> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Flow(int id, WorkloadKind kind, long responseBytes, CbrReceiver? cbr = null)
    {
        Id = id;
        Kind = kind;
        ResponseBytes = responseBytes;
        Cbr = cbr;
    }

    public int Id { get; }

    public WorkloadKind Kind { get; }

    /// <summary>Bytes the server answers with (short flows, web); 0 for the others.</summary>
    public long ResponseBytes { get; }

    public CbrReceiver? Cbr { get; }

    /// <summary>Client to server.</summary>
    public StallWatch Up { get; } = new();

    /// <summary>Server to client.</summary>
    public StallWatch Down { get; } = new();

    public MultipathStream? ClientStream { get; set; }

    public MultipathStream? ServerStream { get; set; }

    /// <summary>Completes with the run time at which the flow's last byte reached its reader.</summary>
    public Task<TimeSpan> Done => _done.Task;

    public void Complete(TimeSpan at) => _done.TrySetResult(at);
}
