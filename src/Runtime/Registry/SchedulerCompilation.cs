namespace ProgMp.Runtime.Registry;

/// <summary>What compiling a program gave: the program (null when there were errors) and every diagnostic.</summary>
/// <param name="Program">The compiled program, or null.</param>
/// <param name="Diagnostics">Errors and warnings, in source order.</param>
public sealed record SchedulerCompilation(SchedulerProgram? Program, IReadOnlyList<SchedulerDiagnostic> Diagnostics)
{
    /// <summary>True when the program compiled.</summary>
    public bool Succeeded => Program is not null;
}
