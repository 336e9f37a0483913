namespace ProgMp.Cli.Compare;

/// <summary>
/// Request/response pairs one after another, each on a new stream: the request names the flow, the
/// server answers with the flow's size; the flow completion time runs from opening the stream to the
/// last byte of the answer. A gap separates one flow's end from the next one's start.
/// </summary>
internal sealed class ShortFlowWorkload : WorkloadDriver
{
    private readonly int _index;

    public ShortFlowWorkload(WorkloadSpec spec, int index)
        : base(spec)
    {
        _index = index;
    }

    public override async Task RunAsync(RunContext run)
    {
        var sizes = new FlowSizes(Spec.MinBytes, Spec.MaxBytes, FlowSizes.Seed(_index, run.Repeat));
        var buffer = new byte[ChunkBytes];
        while (!run.Stopping.IsCancellationRequested)
        {
            if (await FetchAsync(run, sizes.Next(), buffer).ConfigureAwait(false) is not { } time)
            {
                return;
            }

            run.Recorder.FlowCompleted(time);
            if (!await PauseAsync(Spec.Gap, run).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>One request/response flow of <paramref name="bytes"/>; its completion time, or null when the run's flow table is full.</summary>
    public static async Task<TimeSpan?> FetchAsync(RunContext run, long bytes, byte[] buffer)
    {
        var start = run.Now;
        if (await run.OpenFlowAsync(WorkloadKind.ShortFlows, bytes).ConfigureAwait(false) is not var (flow, stream))
        {
            return null;
        }

        using (stream)
        {
            stream.CompleteWrites();
            var end = await run.ReadToEndAsync(stream, flow.Down, buffer).ConfigureAwait(false);
            flow.Complete(end);
            return end - start;
        }
    }
}
