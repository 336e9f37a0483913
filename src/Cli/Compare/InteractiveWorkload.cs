using System.Buffers.Binary;

namespace ProgMp.Cli.Compare;

/// <summary>
/// Small messages at a fixed interval on one stream, echoed by the server; each carries the time it
/// was written, so the client measures the application's round-trip time from the echo alone.
/// </summary>
internal sealed class InteractiveWorkload : WorkloadDriver
{
    /// <summary>The timestamp every message starts with, so the smallest message.</summary>
    public const int HeaderBytes = sizeof(long);

    public InteractiveWorkload(WorkloadSpec spec)
        : base(spec)
    {
    }

    public override async Task RunAsync(RunContext run)
    {
        if (await run.OpenFlowAsync(WorkloadKind.Interactive, 0).ConfigureAwait(false) is not var (flow, stream))
        {
            return;
        }

        using (stream)
        {
            var reading = Task.Run(() => ReadEchoesAsync(run, flow, stream), CancellationToken.None);
            var message = new byte[Spec.MessageBytes];
            var start = run.Now;
            for (var k = 0L; ; k++)
            {
                var wait = start + (Spec.Interval * k) - run.Now;
                if (run.Stopping.IsCancellationRequested || (wait > TimeSpan.Zero && !await PauseAsync(wait, run).ConfigureAwait(false)))
                {
                    break;
                }

                var now = run.Now;
                BinaryPrimitives.WriteInt64LittleEndian(message, now.Ticks);
                flow.Up.Wrote(message.Length, now);
                await stream.WriteAsync(message, run.Aborted).ConfigureAwait(false);
            }

            stream.CompleteWrites();
            await reading.ConfigureAwait(false);
        }
    }

    private async Task ReadEchoesAsync(RunContext run, Flow flow, Stream stream)
    {
        var message = new byte[Spec.MessageBytes];
        var filled = 0;
        while (true)
        {
            var n = await stream.ReadAsync(message.AsMemory(filled), run.Aborted).ConfigureAwait(false);
            if (n == 0)
            {
                flow.Complete(run.Now);
                return;
            }

            var now = run.Now;
            flow.Down.Read(n, now);
            run.Recorder.Delivered(n);
            filled += n;
            if (filled == message.Length)
            {
                run.Recorder.RoundTrip(now - TimeSpan.FromTicks(BinaryPrimitives.ReadInt64LittleEndian(message)));
                filled = 0;
            }
        }
    }
}
