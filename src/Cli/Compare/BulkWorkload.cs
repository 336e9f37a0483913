namespace ProgMp.Cli.Compare;

/// <summary>One stream, client to server, written as fast as the stream takes it: the given size, or until the scenario ends.</summary>
internal sealed class BulkWorkload : WorkloadDriver
{
    public BulkWorkload(WorkloadSpec spec)
        : base(spec)
    {
    }

    public override async Task RunAsync(RunContext run)
    {
        if (await run.OpenFlowAsync(WorkloadKind.Bulk, 0).ConfigureAwait(false) is not var (flow, stream))
        {
            return;
        }

        using (stream)
        {
            var buffer = new byte[ChunkBytes];
            for (var left = Spec.Bytes ?? long.MaxValue; left > 0 && !(OpenEnded && run.Stopping.IsCancellationRequested);)
            {
                var n = (int)Math.Min(left, buffer.Length);
                flow.Up.Wrote(n, run.Now);
                await stream.WriteAsync(buffer.AsMemory(0, n), run.Aborted).ConfigureAwait(false);
                left -= n;
            }

            stream.CompleteWrites();
            await flow.Done.WaitAsync(run.Aborted).ConfigureAwait(false);
        }
    }
}
