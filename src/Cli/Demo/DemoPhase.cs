namespace ProgMp.Cli.Demo;

/// <summary>One phase of the demo's transfer: from <see cref="Start"/> to <see cref="End"/> after the first byte was written.</summary>
/// <param name="Number">1-based, as shown.</param>
/// <param name="Kind">What happens as it begins.</param>
/// <param name="Label">A few words for the plot and the tables.</param>
/// <param name="Description">What is going on, for the live view.</param>
/// <param name="Scheduler">The stream's scheduler during the phase.</param>
/// <param name="Start">On the demo's clock.</param>
/// <param name="End">On the demo's clock; the next phase's start.</param>
internal sealed record DemoPhase(int Number, DemoPhaseKind Kind, string Label, string Description, string Scheduler, TimeSpan Start, TimeSpan End)
{
    public TimeSpan Length => End - Start;
}
