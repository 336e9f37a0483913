using Microsoft.Extensions.Logging;
using ProgMp.Engine;

namespace ProgMp.Cli.Compare;

/// <summary>
/// The server application of a run: accepts each stream, reads the flow id the client wrote first,
/// and plays the flow's part: a sink for bulk and constant-bit-rate flows, a responder for short
/// flows and web objects, an echo for interactive ones. Every stream is handled on its own task, and
/// none of their failures ends the loop.
/// </summary>
internal sealed class ServerSide
{
    private const int ChunkBytes = 16 * 1024;

    // Bounds how long a stream may take to name its flow: the client writes the id first, at once.
    private static readonly TimeSpan HeaderTimeout = TimeSpan.FromSeconds(10);

    private readonly RunContext _run;
    private readonly MultipathSession _session;
    private readonly ILogger _logger;
    private readonly List<Task> _handlers = [];

    public ServerSide(RunContext run, MultipathSession session, ILogger logger)
    {
        _run = run;
        _session = session;
        _logger = logger;
    }

    /// <summary>Accepts streams until the run is aborted or the session ends; then waits for the handlers, which end with the run too.</summary>
    public async Task RunAsync()
    {
        while (!_run.Aborted.IsCancellationRequested)
        {
            MultipathStream stream;
            try
            {
                stream = await _session.AcceptStreamAsync(_run.Aborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException or InvalidOperationException)
            {
                break;
            }
            catch (Exception e)
            {
                CompareLog.AcceptFailed(_logger, e);
                continue;
            }

            _handlers.RemoveAll(t => t.IsCompleted);
            _handlers.Add(Task.Run(() => HandleAsync(stream), CancellationToken.None));
        }

        await Task.WhenAll(_handlers).ConfigureAwait(false);
    }

    private async Task HandleAsync(MultipathStream stream)
    {
        var flowId = 0;
        try
        {
            _run.SetRegisters(stream);
            using var header = CancellationTokenSource.CreateLinkedTokenSource(_run.Aborted);
            header.CancelAfter(HeaderTimeout);
            var id = new byte[FlowHeader.Bytes];
            await stream.ReadExactlyAsync(id, header.Token).ConfigureAwait(false);
            flowId = FlowHeader.Read(id);
            if (_run.Flows.Find(flowId) is not { } flow)
            {
                stream.Reset(ResetReason.Refused);
                return;
            }

            flow.ServerStream = stream;
            flow.Up.Read(id.Length, _run.Now);
            var buffer = new byte[ChunkBytes];
            switch (flow.Kind)
            {
                case WorkloadKind.Bulk or WorkloadKind.ConstantBitRate:
                    flow.Complete(await _run.ReadToEndAsync(stream, flow.Up, buffer, flow.Cbr).ConfigureAwait(false));
                    break;
                case WorkloadKind.Interactive:
                    await EchoAsync(stream, flow, buffer).ConfigureAwait(false);
                    break;
                default:
                    await _run.ReadToEndAsync(stream, flow.Up, buffer).ConfigureAwait(false);
                    await RespondAsync(stream, flow, buffer).ConfigureAwait(false);
                    break;
            }

            stream.CompleteWrites();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The run's deadline or a reset stream: what the flow got so far is what it measured.
        }
        catch (Exception e)
        {
            CompareLog.ServerFlowFailed(_logger, flowId, e);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task RespondAsync(MultipathStream stream, Flow flow, byte[] buffer)
    {
        for (var left = flow.ResponseBytes; left > 0;)
        {
            var n = (int)Math.Min(left, buffer.Length);
            flow.Down.Wrote(n, _run.Now);
            await stream.WriteAsync(buffer.AsMemory(0, n), _run.Aborted).ConfigureAwait(false);
            left -= n;
        }
    }

    private async Task EchoAsync(MultipathStream stream, Flow flow, byte[] buffer)
    {
        while (true)
        {
            var n = await stream.ReadAsync(buffer, _run.Aborted).ConfigureAwait(false);
            if (n == 0)
            {
                return;
            }

            var now = _run.Now;
            flow.Up.Read(n, now);
            _run.Recorder.Delivered(n);
            flow.Down.Wrote(n, now);
            await stream.WriteAsync(buffer.AsMemory(0, n), _run.Aborted).ConfigureAwait(false);
        }
    }
}
