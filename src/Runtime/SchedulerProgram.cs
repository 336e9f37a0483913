using ProgMp.Runtime.Execution;

namespace ProgMp.Runtime;

/// <summary>
/// A compiled scheduler: immutable, and shared by every stream that runs it, on any thread.
/// </summary>
public sealed class SchedulerProgram
{
    internal SchedulerProgram(string name, string source, string? path, IReadOnlyList<SchedulerDiagnostic> warnings, SchedulerBody body)
    {
        Name = name;
        Source = source;
        Path = path;
        Warnings = warnings;
        Body = body;
    }

    /// <summary>The name from <c>SCHEDULER name;</c>: how the program is loaded, listed and chosen.</summary>
    public string Name { get; }

    /// <summary>The program text it was compiled from.</summary>
    public string Source { get; }

    /// <summary>The file it was loaded from, if any.</summary>
    public string? Path { get; }

    /// <summary>Warnings the compiler gave; the program loads anyway.</summary>
    public IReadOnlyList<SchedulerDiagnostic> Warnings { get; }

    internal SchedulerBody Body { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
