namespace ProgMp.Cli.Control;

/// <summary>An aligned plain-text table: numbers right-aligned (headers marked with a leading '>'), text left-aligned.</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly bool[] _right;
    private readonly List<string[]> _rows = [];

    /// <param name="headers">Column titles; one starting with '>' is a right-aligned column (the '>' is not printed).</param>
    public TextTable(params string[] headers)
    {
        _right = headers.Select(h => h.StartsWith('>')).ToArray();
        _headers = headers.Select(h => h.TrimStart('>')).ToArray();
    }

    public void Add(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"A row needs {_headers.Length} cells.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void Write(TextWriter output, string indent = "")
    {
        var widths = new int[_headers.Length];
        foreach (var row in _rows.Prepend(_headers))
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in _rows.Prepend(_headers))
        {
            var cells = row.Select((cell, i) => _right[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
            output.WriteLine((indent + string.Join("  ", cells)).TrimEnd());
        }
    }
}
