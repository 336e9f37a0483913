using System.Diagnostics.CodeAnalysis;

namespace ProgMp.Cli.Compare;

/// <summary>
/// Turns <c>--scenario</c> arguments into validated scenarios: a built-in by name, anything that names
/// a file (ends in .scenario, has a directory in it, or exists) as that file. Every diagnostic of every
/// file is printed before giving up.
/// </summary>
internal static class ScenarioCatalog
{
    /// <summary>Returns 0, or 2 with the reasons on <paramref name="error"/>; no specs means every built-in.</summary>
    public static int TryLoad(IReadOnlyList<string> specs, TextWriter error, [NotNullWhen(true)] out List<Scenario>? scenarios)
    {
        scenarios = null;
        var sources = new List<(string File, string Text)>();
        foreach (var spec in specs)
        {
            if (SourceFile.NamesFile(spec, BuiltInScenarios.Extension, BuiltInScenarios.Find(spec) is not null))
            {
                if (!SourceFile.TryRead(spec, error, out var text))
                {
                    return ProgMpCommand.ExitUsage;
                }

                sources.Add((spec, text));
            }
            else if (BuiltInScenarios.Find(spec) is { } builtIn)
            {
                sources.Add(builtIn);
            }
            else
            {
                error.WriteLine($"progmp: --scenario '{spec}': no built-in scenario of that name (see 'progmp compare --list') and no such file.");
                return ProgMpCommand.ExitUsage;
            }
        }

        if (specs.Count == 0)
        {
            sources.AddRange(BuiltInScenarios.All());
        }

        var loaded = new List<Scenario>();
        var failed = false;
        foreach (var (file, text) in sources)
        {
            var diagnostics = ScenarioParser.Parse(text, file, out var scenario);
            foreach (var diagnostic in diagnostics)
            {
                error.WriteLine(diagnostic);
            }

            if (scenario is null)
            {
                failed = true;
            }
            else if (loaded.Find(s => s.Name == scenario.Name) is { } twin)
            {
                error.WriteLine($"progmp: --scenario '{file}': the scenario name '{scenario.Name}' is also that of '{twin.Source}'; give one a different 'name'.");
                failed = true;
            }
            else
            {
                loaded.Add(scenario);
            }
        }

        if (failed)
        {
            return ProgMpCommand.ExitUsage;
        }

        scenarios = loaded;
        return ProgMpCommand.ExitOk;
    }
}
