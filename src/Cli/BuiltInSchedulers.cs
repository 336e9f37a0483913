namespace ProgMp.Cli;

/// <summary>The scheduler library (<c>schedulers/*.progmp</c>), embedded in the tool.</summary>
internal static class BuiltInSchedulers
{
    private const string Prefix = "schedulers/";

    /// <summary>File name (e.g. <c>minRtt.progmp</c>) and text of every built-in scheduler, by name.</summary>
    public static IReadOnlyList<(string File, string Source)> All()
    {
        var assembly = typeof(BuiltInSchedulers).Assembly;
        var result = new List<(string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            result.Add((name[Prefix.Length..], reader.ReadToEnd()));
        }

        return result;
    }
}
