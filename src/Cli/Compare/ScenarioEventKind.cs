namespace ProgMp.Cli.Compare;

/// <summary>What a scenario event does to its path.</summary>
internal enum ScenarioEventKind
{
    /// <summary>New rate, delay or queue for one or both directions.</summary>
    Change,

    /// <summary>Every connection of the path is reset, and new ones too, until <see cref="Restore"/>.</summary>
    Reset,

    /// <summary>The path silently stops carrying bytes, until <see cref="Restore"/>.</summary>
    Blackhole,

    /// <summary>The path works again after a reset or blackhole.</summary>
    Restore,

    /// <summary>The client adds the path (declared <c>later</c>) to the session.</summary>
    Add,

    /// <summary>The client removes the path from the session (handover away from it).</summary>
    Remove,
}
