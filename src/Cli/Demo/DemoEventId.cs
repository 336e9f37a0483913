namespace ProgMp.Cli.Demo;

/// <summary>Event ids of the demo's log messages (9300–9399; the engine has 1–99, the emulator 9100–9199). Never reuse an id.</summary>
internal static class DemoEventId
{
    public const int PhaseStarted = 9300;
    public const int SchedulerSwapped = 9301;
    public const int PathFailed = 9302;
    public const int PathRestored = 9303;
    public const int PathBack = 9304;
    public const int WritesCompleted = 9305;
    public const int TransferEnded = 9306;
}
