namespace ProgMp.Cli.Compare;

/// <summary>The standard scenarios (<c>scenarios/*.scenario</c>), embedded in the tool so that compare runs from any directory.</summary>
internal static class BuiltInScenarios
{
    public const string Extension = ".scenario";
    private const string Prefix = "scenarios/";

    /// <summary>File name (e.g. <c>wifi-lte.scenario</c>) and text of every built-in scenario, by name.</summary>
    public static IReadOnlyList<(string File, string Text)> All()
    {
        var assembly = typeof(BuiltInScenarios).Assembly;
        var result = new List<(string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).OrderBy(n => Path.GetFileNameWithoutExtension(n), StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            result.Add((name[Prefix.Length..], reader.ReadToEnd()));
        }

        return result;
    }

    /// <summary>The text of the built-in scenario <paramref name="name"/> (without the extension), if there is one.</summary>
    public static (string File, string Text)? Find(string name) =>
        All().FirstOrDefault(s => s.File == name + Extension) is { File: not null } found ? found : null;
}
