namespace ProgMp.Cli.Compare;

/// <summary>
/// Web-like pages: all of a page's objects requested at once, each on its own stream, sizes drawn from
/// the range; the page's time runs from the first request to the last object's last byte. A gap
/// separates one page's end from the next one's start.
/// </summary>
internal sealed class WebWorkload : WorkloadDriver
{
    private readonly int _index;

    public WebWorkload(WorkloadSpec spec, int index)
        : base(spec)
    {
        _index = index;
    }

    public override async Task RunAsync(RunContext run)
    {
        var sizes = new FlowSizes(Spec.MinBytes, Spec.MaxBytes, FlowSizes.Seed(_index, run.Repeat));
        while (!run.Stopping.IsCancellationRequested)
        {
            var start = run.Now;
            var objects = new Task<TimeSpan?>[Spec.Objects];
            for (var i = 0; i < objects.Length; i++)
            {
                var bytes = sizes.Next();
                objects[i] = Task.Run(() => ShortFlowWorkload.FetchAsync(run, bytes, new byte[ChunkBytes]), CancellationToken.None);
            }

            var times = await Task.WhenAll(objects).ConfigureAwait(false);
            if (times.Any(t => t is null))
            {
                return;
            }

            run.Recorder.PageCompleted(run.Now - start);
            if (!await PauseAsync(Spec.Gap, run).ConfigureAwait(false))
            {
                return;
            }
        }
    }
}
