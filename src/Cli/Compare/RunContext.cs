using ProgMp.Cli.Demo;
using ProgMp.Engine;

namespace ProgMp.Cli.Compare;

/// <summary>What the workloads of one run share: the client's session, the flows, the recorder, the clock, and the two moments a run ends at.</summary>
internal sealed class RunContext
{
    /// <summary>0-based; seeds the workloads' sizes so every scheduler gets the same flows in the same repeat.</summary>
    public required int Repeat { get; init; }

    public required MultipathSession Client { get; init; }

    public required FlowTable Flows { get; init; }

    public required RunRecorder Recorder { get; init; }

    public required DemoClock Clock { get; init; }

    /// <summary>Cancelled at the scenario's end: open-ended workloads start nothing new and finish what they started.</summary>
    public required CancellationToken Stopping { get; init; }

    /// <summary>Cancelled at the run's deadline: everything still waiting gives up.</summary>
    public required CancellationToken Aborted { get; init; }

    /// <summary>The deadline's distance from the start, for receivers that size a per-second table.</summary>
    public required TimeSpan Span { get; init; }

    /// <summary>The scenario's registers, set on every stream at both ends before its first byte.</summary>
    public IReadOnlyList<KeyValuePair<int, long>> Registers { get; init; } = [];

    public TimeSpan Now => Clock.Elapsed;

    /// <summary>Sets the scenario's registers on <paramref name="stream"/>.</summary>
    public void SetRegisters(MultipathStream stream)
    {
        foreach (var (register, value) in Registers)
        {
            stream.SetRegister(register, value);
        }
    }

    /// <summary>Opens a stream for a new flow and writes its id (the side channel's key); null when the run's flow table is full.</summary>
    public async Task<(Flow Flow, MultipathStream Stream)?> OpenFlowAsync(WorkloadKind kind, long responseBytes, CbrReceiver? cbr = null)
    {
        if (Flows.Add(kind, responseBytes, cbr) is not { } flow)
        {
            return null;
        }

        var stream = Client.OpenStream();
        SetRegisters(stream);
        flow.ClientStream = stream;
        var header = new byte[FlowHeader.Bytes];
        FlowHeader.Write(header, flow.Id);
        flow.Up.Wrote(header.Length, Now);
        await stream.WriteAsync(header, Aborted).ConfigureAwait(false);
        return (flow, stream);
    }

    /// <summary>Reads <paramref name="stream"/> to its end, counting each read as delivered on <paramref name="watch"/>; returns the time of the last byte.</summary>
    public async Task<TimeSpan> ReadToEndAsync(Stream stream, StallWatch watch, byte[] buffer, CbrReceiver? cbr = null)
    {
        var last = Now;
        while (true)
        {
            var n = await stream.ReadAsync(buffer, Aborted).ConfigureAwait(false);
            if (n == 0)
            {
                return last;
            }

            last = Now;
            watch.Read(n, last);
            cbr?.Read(n, last);
            Recorder.Delivered(n);
        }
    }
}
