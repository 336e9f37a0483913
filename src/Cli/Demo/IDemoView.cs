namespace ProgMp.Cli.Demo;

/// <summary>The live view of a running demo: told about every sample, it decides what to show and when.</summary>
internal interface IDemoView
{
    /// <summary>Before the transfer starts.</summary>
    void Begin(DemoPlan plan);

    /// <summary>After each sample; <paramref name="events"/> are the log messages since the last call.</summary>
    void Update(DemoViewState state, IReadOnlyList<DemoEvent> events);

    /// <summary>After the transfer, before the summary; always called, also after a failure.</summary>
    void End();
}
