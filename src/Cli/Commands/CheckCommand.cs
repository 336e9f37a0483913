using System.CommandLine;
using ProgMp.Compiler;

namespace ProgMp.Cli.Commands;

/// <summary><c>progmp check FILE...</c>: compile each program, print every diagnostic, exit 1 on any error.</summary>
internal static class CheckCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "One or more .progmp scheduler programs.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("check", "Compile scheduler programs and print their diagnostics as 'file(line,col): error PMPnnnn: message'. Exit code 0: no errors (warnings allowed); 1: errors; 2: a file could not be read. The language: docs/language.md; the codes: docs/diagnostics.md.")
        {
            files,
        };
        command.SetAction(parse => Run(parse.GetRequiredValue(files), output, error));
        return command;
    }

    public static int Run(IReadOnlyList<string> files, TextWriter output, TextWriter error)
    {
        var compiler = new SchedulerCompiler();
        var errors = 0;
        var warnings = 0;
        var unreadable = false;
        var checkedFiles = 0;
        foreach (var file in files)
        {
            if (!SourceFile.TryRead(file, error, out var source))
            {
                unreadable = true;
                continue;
            }

            checkedFiles++;
            foreach (var diagnostic in compiler.Compile(source, file).Diagnostics)
            {
                output.WriteLine(diagnostic);
                if (diagnostic.IsError)
                {
                    errors++;
                }
                else
                {
                    warnings++;
                }
            }
        }

        error.WriteLine($"{Plural(checkedFiles, "file")} checked: {Plural(errors, "error")}, {Plural(warnings, "warning")}.");
        return unreadable ? ProgMpCommand.ExitUsage : errors > 0 ? ProgMpCommand.ExitProgramErrors : ProgMpCommand.ExitOk;
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
