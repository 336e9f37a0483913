namespace ProgMp.Cli.Compare;

/// <summary>
/// What went wrong in one run, gathered by the run's loop when it ends: a missed deadline, a failed
/// workload, an event the engine or the emulator would not take, a bound that dropped samples or
/// flows. Any of them makes the run's <see cref="RunResult.Problem"/>, so the table and JSON show it
/// and the run does not count as finished.
/// </summary>
internal sealed class RunProblems
{
    private readonly List<string> _problems = [];

    public void Add(string? problem)
    {
        if (problem is null)
        {
            return;
        }

        _problems.Add(problem);
    }

    public void EventFailed(ScenarioEvent e, string reason) => Add($"event at {ScenarioParser.Describe(e.At)}, {e.Label}, failed: {reason}");

    /// <summary>Every problem in the order reported, joined; null when there was none.</summary>
    public string? Text => _problems.Count == 0 ? null : string.Join("; ", _problems);
}
