using System.Diagnostics.CodeAnalysis;
using ProgMp.Compiler;
using ProgMp.Runtime.Registry;

namespace ProgMp.Cli.Compare;

/// <summary>
/// Compare's one way from "a scheduler name or a .progmp path" to a loaded program: the library by
/// name, anything that names a file (ends in .progmp, has a directory in it, or exists) as that file's
/// program. Diagnostics print as <c>progmp check</c> prints them.
/// </summary>
internal static class SchedulerCatalog
{
    /// <summary>
    /// Loads the library and the files among <paramref name="specs"/>, each with the option that gave it
    /// (for messages; empty for a positional argument); <paramref name="names"/> are the scheduler names
    /// in the order given. Returns 0, 1 for a program with errors, 2 for an unknown name, an unreadable
    /// file or a name compared twice.
    /// </summary>
    public static int TryResolve(IReadOnlyList<(string Spec, string Option)> specs, TextWriter error, [NotNullWhen(true)] out SchedulerRegistry? registry, out IReadOnlyList<string> names)
    {
        registry = null;
        names = [];
        var loaded = SchedulerLibrary.CreateRegistry();
        var library = loaded.Names.ToHashSet(StringComparer.Ordinal);
        var chosen = new List<string>();
        foreach (var (spec, option) in specs)
        {
            string name;
            if (SourceFile.NamesFile(spec, ".progmp", library.Contains(spec)))
            {
                if (!SourceFile.TryRead(spec, error, out var source))
                {
                    return ProgMpCommand.ExitUsage;
                }

                var compilation = loaded.Load(source, spec);
                foreach (var diagnostic in compilation.Diagnostics)
                {
                    error.WriteLine(diagnostic);
                }

                if (compilation.Program is not { } program)
                {
                    return ProgMpCommand.ExitProgramErrors;
                }

                name = program.Name;
                if (library.Contains(name))
                {
                    error.WriteLine($"progmp: {Who(spec, option)} declares SCHEDULER {name}, the name of a library scheduler: rename it so that both can be compared.");
                    return ProgMpCommand.ExitUsage;
                }
            }
            else if (library.Contains(spec))
            {
                name = spec;
            }
            else
            {
                error.WriteLine($"progmp: {Who(spec, option)}: no scheduler of that name in the library ({string.Join(", ", library.Order(StringComparer.Ordinal))}) and no such .progmp file.");
                return ProgMpCommand.ExitUsage;
            }

            if (chosen.Contains(name))
            {
                error.WriteLine($"progmp: {Who(spec, option)}: the scheduler {name} is named twice.");
                return ProgMpCommand.ExitUsage;
            }

            chosen.Add(name);
        }

        registry = loaded;
        names = chosen;
        return ProgMpCommand.ExitOk;
    }

    private static string Who(string spec, string option) => option.Length == 0 ? $"'{spec}'" : $"{option} '{spec}'";
}
