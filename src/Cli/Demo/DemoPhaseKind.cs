namespace ProgMp.Cli.Demo;

/// <summary>What happens when a demo phase begins.</summary>
internal enum DemoPhaseKind
{
    /// <summary>Data starts flowing on the start scheduler.</summary>
    Start,

    /// <summary>The stream's scheduler is swapped live.</summary>
    Swap,

    /// <summary>Back on the start scheduler, and the first path is reset.</summary>
    Failure,

    /// <summary>The failed path is restored; the client opens it again by itself.</summary>
    Return,

    /// <summary>Back on the start scheduler with every path working (when there is no failure).</summary>
    Back,
}
