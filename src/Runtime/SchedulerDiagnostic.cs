using System.Globalization;

namespace ProgMp.Runtime;

/// <summary>
/// One problem in a scheduler program, at a 1-based line and column, printed the way every .NET tool
/// and editor understands: <c>path(line,col): error PMP0001: message</c>.
/// </summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Code">Stable code, <c>PMPnnnn</c>.</param>
/// <param name="Message">What is wrong, in words.</param>
/// <param name="Path">The file, or a stand-in name for text that came from elsewhere.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column, in UTF-16 characters.</param>
/// <param name="Offset">0-based character offset of the start.</param>
/// <param name="Length">Characters covered (at least 1 where there is text).</param>
public sealed record SchedulerDiagnostic(
    DiagnosticSeverity Severity,
    string Code,
    string Message,
    string Path,
    int Line,
    int Column,
    int Offset,
    int Length)
{
    /// <summary>True for errors.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Path}({Line},{Column}): {(IsError ? "error" : "warning")} {Code}: {Message}");
}
