namespace ProgMp.Benchmarks;

/// <summary>The scheduler library (<c>schedulers/*.progmp</c>), embedded in this assembly.</summary>
internal static class EmbeddedSchedulers
{
    /// <summary>The text of <c>schedulers/<paramref name="file"/></c>, e.g. <c>minRtt.progmp</c>.</summary>
    public static string Read(string file)
    {
        using var stream = typeof(EmbeddedSchedulers).Assembly.GetManifestResourceStream("schedulers/" + file)
            ?? throw new InvalidOperationException($"No embedded scheduler {file}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
