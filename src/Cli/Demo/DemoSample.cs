namespace ProgMp.Cli.Demo;

/// <summary>Everything the demo records at one sampling instant.</summary>
/// <param name="Time">On the demo's clock.</param>
/// <param name="Phase">The phase in force.</param>
/// <param name="Paths">Per path, in the order of the command line.</param>
/// <param name="BytesRead">Bytes the receiving application has read so far.</param>
internal sealed record DemoSample(TimeSpan Time, DemoPhase Phase, IReadOnlyList<PathSample> Paths, long BytesRead);
