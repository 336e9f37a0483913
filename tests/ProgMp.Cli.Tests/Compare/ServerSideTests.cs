using Microsoft.Extensions.Logging.Abstractions;
using ProgMp.Cli.Compare;
using ProgMp.Cli.Demo;
using ProgMp.Engine;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Cli.Tests.Compare;

/// <summary>
/// The server application of a compare run over a real session on loopback: a stream that names no
/// flow, or ends before naming one, costs that stream only; the accept loop goes on serving the next.
/// </summary>
public class ServerSideTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Streams_that_name_no_flow_are_refused_and_the_next_flow_is_served()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await using var pair = await SessionPair.StartAsync(1, EngineTestKit.Options(), timeout.Token);
        using var stopping = new CancellationTokenSource();
        var clock = new DemoClock();
        clock.Start();
        var run = new RunContext
        {
            Repeat = 0,
            Client = pair.Client,
            Flows = new FlowTable(),
            Recorder = new RunRecorder(),
            Clock = clock,
            Stopping = stopping.Token,
            Aborted = timeout.Token,
            Span = Timeout,
        };
        var serving = Task.Run(() => new ServerSide(run, pair.Server, NullLogger.Instance).RunAsync(), CancellationToken.None);

        // A flow id nobody registered: the server resets the stream.
        var stranger = pair.Client.OpenStream();
        await stranger.WriteAsync(new byte[] { 0, 0, 3, 231 }, timeout.Token);
        Assert.That(async () => await stranger.ReadAsync(new byte[16], timeout.Token), Throws.InstanceOf<StreamResetException>());

        // A stream that ends before its id is whole.
        var cut = pair.Client.OpenStream();
        await cut.WriteAsync(new byte[] { 0, 0 }, timeout.Token);
        cut.CompleteWrites();

        var time = await ShortFlowWorkload.FetchAsync(run, 5000, new byte[4096]);
        Assert.Multiple(() =>
        {
            Assert.That(time, Is.Not.Null.And.GreaterThan(TimeSpan.Zero));
            Assert.That(run.Recorder.DeliveredBytes, Is.EqualTo(5000));
            Assert.That(serving.IsCompleted, Is.False, "the accept loop goes on");
        });

        // The run's deadline ends the loop.
        await timeout.CancelAsync();
        Assert.That(async () => await serving.WaitAsync(TimeSpan.FromSeconds(10)), Throws.Nothing);
    }
}
