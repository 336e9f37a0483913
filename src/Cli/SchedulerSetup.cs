using System.Diagnostics.CodeAnalysis;
using ProgMp.Compiler;
using ProgMp.Runtime.Registry;

namespace ProgMp.Cli;

/// <summary>The registry a running engine starts with: the built-in library, then the user's <c>--scheduler</c> files (a name loaded twice: the later wins).</summary>
internal static class SchedulerSetup
{
    /// <summary>
    /// Loads everything; diagnostics print as <c>progmp check</c> prints them (on standard error here,
    /// as standard output is the ready line). Returns 0, or the exit code: 1 for a program with
    /// errors, 2 for an unreadable file or an unknown default scheduler.
    /// </summary>
    public static int TryCreate(IReadOnlyList<string> files, string defaultScheduler, TextWriter error, [NotNullWhen(true)] out SchedulerRegistry? registry)
    {
        registry = null;
        var loaded = new SchedulerRegistry(new SchedulerCompiler());
        foreach (var (file, source) in BuiltInSchedulers.All())
        {
            var compilation = loaded.Load(source, file);
            if (!compilation.Succeeded)
            {
                error.WriteLine($"progmp: built-in {file} does not compile: {compilation.Diagnostics[0]}");
                return ProgMpCommand.ExitProgramErrors;
            }
        }

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

        if (!loaded.Contains(defaultScheduler))
        {
            error.WriteLine($"progmp: --default-scheduler '{defaultScheduler}': no scheduler of that name is loaded (loaded: {string.Join(", ", loaded.Names)})");
            return ProgMpCommand.ExitUsage;
        }

        registry = loaded;
        return ProgMpCommand.ExitOk;
    }
}
