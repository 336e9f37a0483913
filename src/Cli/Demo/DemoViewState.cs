namespace ProgMp.Cli.Demo;

/// <summary>What a view reads at each sample.</summary>
/// <param name="Plan">The run's phases and settings.</param>
/// <param name="Recorder">Every sample so far.</param>
/// <param name="Index">The sample's index in <see cref="TransferRecorder.Samples"/>.</param>
/// <param name="Probe">The reader's figures.</param>
/// <param name="Draining">Writes are completed and the reader is getting the rest.</param>
internal sealed record DemoViewState(DemoPlan Plan, TransferRecorder Recorder, int Index, ReceiveProbe Probe, bool Draining)
{
    public DemoSample Sample => Recorder.Samples[Index];
}
