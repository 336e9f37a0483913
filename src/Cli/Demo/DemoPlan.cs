namespace ProgMp.Cli.Demo;

/// <summary>The phases of a demo run, scaled to its duration.</summary>
internal sealed class DemoPlan
{
    private DemoPlan(DemoSettings settings, IReadOnlyList<DemoPhase> phases)
    {
        Settings = settings;
        Phases = phases;
    }

    public DemoSettings Settings { get; }

    public IReadOnlyList<DemoPhase> Phases { get; }

    public TimeSpan Duration => Settings.Duration;

    /// <summary>The path the failure phase resets.</summary>
    public string FailingPath => Settings.Paths[0].Name;

    public static DemoPlan Create(DemoSettings settings)
    {
        var start = settings.StartScheduler;
        var swap = settings.SwapScheduler;
        var path = settings.Paths[0].Name;
        var others = settings.Paths.Count == 1 ? "nothing else: the transfer waits" : "failover to " + string.Join(", ", settings.Paths.Skip(1).Select(p => p.Name));
        var steps = settings.Failure
            ? new (DemoPhaseKind, string, string, string)[]
            {
                (DemoPhaseKind.Start, start, start, $"{start} over every path"),
                (DemoPhaseKind.Swap, "swap to " + swap, swap, $"live swap: stream.SetScheduler(\"{swap}\")"),
                (DemoPhaseKind.Failure, path + " reset", start, $"{path} fails (reset) on {start}: {others}"),
                (DemoPhaseKind.Return, path + " restored", start, $"{path} restored: the client re-opens it with backoff"),
            }
            : new (DemoPhaseKind, string, string, string)[]
            {
                (DemoPhaseKind.Start, start, start, $"{start} over every path"),
                (DemoPhaseKind.Swap, "swap to " + swap, swap, $"live swap: stream.SetScheduler(\"{swap}\")"),
                (DemoPhaseKind.Back, "back to " + start, start, $"live swap back: stream.SetScheduler(\"{start}\")"),
            };

        var phases = new List<DemoPhase>(steps.Length);
        var length = settings.Duration / steps.Length;
        for (var i = 0; i < steps.Length; i++)
        {
            var (kind, label, scheduler, description) = steps[i];
            var end = i == steps.Length - 1 ? settings.Duration : length * (i + 1);
            phases.Add(new DemoPhase(i + 1, kind, label, description, scheduler, length * i, end));
        }

        return new DemoPlan(settings, phases);
    }

    /// <summary>
    /// The phase a time without data at the reader belongs to. A gap runs from the last read before it,
    /// which may come just before a phase begins with an event (a reset, a swap) that then stalls the
    /// reader; so a gap that takes in a phase's beginning is that phase's (the first such, as later events
    /// find it stalled already), and any other gap is the phase's it began in.
    /// </summary>
    public DemoPhase PhaseOf(DeliveryGap gap)
    {
        foreach (var phase in Phases)
        {
            if (phase.Start > gap.Start && phase.Start < gap.End)
            {
                return phase;
            }
        }

        return PhaseAt(gap.Start);
    }

    /// <summary>The phase in force at <paramref name="time"/> (the last one after the end).</summary>
    public DemoPhase PhaseAt(TimeSpan time)
    {
        foreach (var phase in Phases)
        {
            if (time < phase.End)
            {
                return phase;
            }
        }

        return Phases[^1];
    }
}
