namespace ProgMp.Cli.Tests.Support;

/// <summary>
/// Reads the fenced blocks of a markdown document. Only what docs/ uses: fences of three backticks at
/// the start of a line, an optional language and an optional file name after it.
/// </summary>
internal static class MarkdownFences
{
    public static IReadOnlyList<MarkdownFence> Read(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var fences = new List<MarkdownFence>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            var info = lines[i][3..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var end = i + 1;
            while (end < lines.Length && lines[end] != "```")
            {
                end++;
            }

            if (end == lines.Length)
            {
                throw new FormatException($"the fence at line {i + 1} is never closed");
            }

            fences.Add(new MarkdownFence(info.Length > 0 ? info[0] : "", info.Length > 1 ? info[1] : null, lines[(i + 1)..end], i + 1));
            i = end;
        }

        return fences;
    }
}
