namespace ProgMp.Cli.Compare;

/// <summary>
/// Frames at a constant bit rate, client to server, like a live video: frame k is written at k times
/// the interval (late frames are written at once, never skipped), and the server notes what each
/// second of the run delivered and the longest gap between deliveries.
/// </summary>
internal sealed class ConstantBitRateWorkload : WorkloadDriver
{
    public ConstantBitRateWorkload(WorkloadSpec spec)
        : base(spec)
    {
    }

    /// <summary>Bytes per frame: the rate over one interval, at least one.</summary>
    public long FrameBytes => Math.Max(1, (long)(Spec.RateMbitPerSecond * 1e6 / 8 * Spec.Interval.TotalSeconds));

    public CbrReceiver? Receiver { get; private set; }

    public override async Task RunAsync(RunContext run)
    {
        Receiver = new CbrReceiver(run.Span);
        if (await run.OpenFlowAsync(WorkloadKind.ConstantBitRate, 0, Receiver).ConfigureAwait(false) is not var (flow, stream))
        {
            return;
        }

        using (stream)
        {
            var frame = new byte[FrameBytes];
            var start = run.Now;
            for (var k = 0L; ; k++)
            {
                var wait = start + (Spec.Interval * k) - run.Now;
                if (run.Stopping.IsCancellationRequested || (wait > TimeSpan.Zero && !await PauseAsync(wait, run).ConfigureAwait(false)))
                {
                    break;
                }

                flow.Up.Wrote(frame.Length, run.Now);
                await stream.WriteAsync(frame, run.Aborted).ConfigureAwait(false);
            }

            stream.CompleteWrites();
            await flow.Done.WaitAsync(run.Aborted).ConfigureAwait(false);
        }
    }
}
