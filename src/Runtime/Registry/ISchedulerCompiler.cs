namespace ProgMp.Runtime.Registry;

/// <summary>
/// Turns program text into a <see cref="SchedulerProgram"/>. The Runtime knows no grammar: a host hands
/// the registry a compiler (ProgMp.Compiler's <c>SchedulerCompiler</c>).
/// </summary>
public interface ISchedulerCompiler
{
    /// <summary>Compiles <paramref name="source"/>; never throws for a bad program.</summary>
    /// <param name="source">The program text.</param>
    /// <param name="path">The file name diagnostics carry.</param>
    SchedulerCompilation Compile(string source, string path);
}
