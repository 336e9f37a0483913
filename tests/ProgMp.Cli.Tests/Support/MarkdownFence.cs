namespace ProgMp.Cli.Tests.Support;

/// <summary>
/// One fenced block of a markdown document: its language, the file name written after the language
/// (<c>```progmp first.progmp</c>), if any, its lines, and the line of the document it starts on.
/// </summary>
internal sealed record MarkdownFence(string Language, string? Name, IReadOnlyList<string> Lines, int StartLine)
{
    public string Text => string.Join('\n', Lines) + "\n";
}
