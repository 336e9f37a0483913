using System.Collections.ObjectModel;
using ProgMp.Runtime;
using ProgMp.Runtime.Registry;

namespace ProgMp.Compiler;

/// <summary>
/// The scheduler library that ships with ProgMp: <c>minRtt</c> (the default scheduler of a stream),
/// <c>redundant</c>, <c>blest</c>, <c>ecf</c> and the others the README lists, built into this assembly,
/// so that a host has them without files beside it. Start a registry with <see cref="CreateRegistry"/>
/// and load programs of your own into it.
/// </summary>
public static class SchedulerLibrary
{
    private const string ResourcePrefix = "schedulers/";

    private static readonly Lazy<IReadOnlyList<SchedulerProgram>> s_programs = new(CompileAll);

    /// <summary>
    /// Every library program, compiled once and sorted by name; each one's <see cref="SchedulerProgram.Source"/>
    /// is its text and its <see cref="SchedulerProgram.Path"/> its file name (<c>minRtt.progmp</c>).
    /// </summary>
    public static IReadOnlyList<SchedulerProgram> Programs => s_programs.Value;

    /// <summary>
    /// A new registry holding every library program, with a <see cref="SchedulerCompiler"/>, so that
    /// <see cref="SchedulerRegistry.Load"/> and <see cref="SchedulerRegistry.LoadFile"/> add your own
    /// (a program with a library name replaces the library's in this registry only).
    /// </summary>
    public static SchedulerRegistry CreateRegistry()
    {
        var registry = new SchedulerRegistry(new SchedulerCompiler());
        foreach (var program in Programs)
        {
            registry.Set(program);
        }

        return registry;
    }

    // Compiled programs are immutable and shared by any number of registries and streams, so once per process is enough.
    private static ReadOnlyCollection<SchedulerProgram> CompileAll()
    {
        var assembly = typeof(SchedulerLibrary).Assembly;
        var compiler = new SchedulerCompiler();
        var programs = new List<SchedulerProgram>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var file = resource[ResourcePrefix.Length..];
            var compilation = compiler.Compile(reader.ReadToEnd(), file);

            // The library's tests compile every file; reaching this is a broken build, not a user's mistake.
            programs.Add(compilation.Program ?? throw new InvalidOperationException($"The library's {file} does not compile: {compilation.Diagnostics[0]}"));
        }

        programs.Sort((a, b) => StringComparer.Ordinal.Compare(a.Name, b.Name));
        return programs.AsReadOnly();
    }
}
