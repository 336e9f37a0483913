namespace ProgMp.Cli.Compare;

/// <summary>The client application of one workload line: it opens its flows, drives them and records what it measured.</summary>
internal abstract class WorkloadDriver
{
    protected const int ChunkBytes = 16 * 1024;

    protected WorkloadDriver(WorkloadSpec spec)
    {
        Spec = spec;
    }

    public WorkloadSpec Spec { get; }

    /// <summary>True when the workload runs until the scenario's end rather than until a size is sent.</summary>
    public bool OpenEnded => Spec.Kind != WorkloadKind.Bulk || Spec.Bytes is null;

    /// <summary>Runs until the workload is done: its size sent, or the scenario's end and the flows then open finished. Cancellation ends it early.</summary>
    public abstract Task RunAsync(RunContext run);

    public static WorkloadDriver Create(WorkloadSpec spec, int index) => spec.Kind switch
    {
        WorkloadKind.Bulk => new BulkWorkload(spec),
        WorkloadKind.ShortFlows => new ShortFlowWorkload(spec, index),
        WorkloadKind.ConstantBitRate => new ConstantBitRateWorkload(spec),
        WorkloadKind.Interactive => new InteractiveWorkload(spec),
        _ => new WebWorkload(spec, index),
    };

    /// <summary>Waits <paramref name="time"/> unless the scenario ends first; false when it did.</summary>
    protected static async Task<bool> PauseAsync(TimeSpan time, RunContext run)
    {
        try
        {
            await Task.Delay(time, run.Stopping).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
