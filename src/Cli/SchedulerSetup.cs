using System.Diagnostics.CodeAnalysis;
using ProgMp.Compiler;
using ProgMp.Runtime.Registry;

namespace ProgMp.Cli;

/// <summary>The registry a running engine starts with: the built-in library, then the user's <c>--scheduler</c> files (a name loaded twice: the later wins).</summary>
internal static class SchedulerSetup
{
    /// <summary>
    /// Loads everything; diagnostics print as <c>progmp check</c> prints them (on standard error here,
    /// as standard output is the ready line or the live view). Returns 0, or the exit code: 1 for a
    /// program with errors, 2 for an unreadable file or when a scheduler an option names
    /// (<paramref name="required"/>: the option and the name given) is not loaded.
    /// </summary>
    public static int TryCreate(IReadOnlyList<string> files, IReadOnlyList<(string Option, string Name)> required, TextWriter error, [NotNullWhen(true)] out SchedulerRegistry? registry)
    {
        registry = null;
        var loaded = SchedulerLibrary.CreateRegistry();
        var failed = false;
        foreach (var file in files)
        {
            if (!SourceFile.TryRead(file, error, out var source))
            {
                return ProgMpCommand.ExitUsage;
            }

            var compilation = loaded.Load(source, file);
            foreach (var diagnostic in compilation.Diagnostics)
            {
                error.WriteLine(diagnostic);
            }

            failed |= !compilation.Succeeded;
        }

        if (failed)
        {
            return ProgMpCommand.ExitProgramErrors;
        }

        foreach (var (option, name) in required)
        {
            if (!loaded.Contains(name))
            {
                error.WriteLine($"progmp: {option} '{name}': no scheduler of that name is loaded (loaded: {string.Join(", ", loaded.Names)})");
                return ProgMpCommand.ExitUsage;
            }
        }

        registry = loaded;
        return ProgMpCommand.ExitOk;
    }
}
