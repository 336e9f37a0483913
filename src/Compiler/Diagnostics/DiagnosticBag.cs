using System.Globalization;
using ProgMp.Compiler.Text;
using ProgMp.Runtime;

namespace ProgMp.Compiler.Diagnostics;

/// <summary>Collects every problem of a compilation, positioned against its source.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<SchedulerDiagnostic> _items = [];
    private readonly SourceText _source;

    public DiagnosticBag(SourceText source)
    {
        _source = source;
    }

    /// <summary>After this many, a file is not a program worth reading on (binary junk, say): one last note and silence.</summary>
    public const int MaxDiagnostics = 200;

    public bool HasErrors { get; private set; }

    public void Report(DiagnosticDescriptor descriptor, TextSpan span, params object?[] args)
    {
        if (_items.Count > MaxDiagnostics)
        {
            return;
        }

        if (_items.Count == MaxDiagnostics)
        {
            descriptor = DiagnosticDescriptors.TooManyDiagnostics;
            args = [MaxDiagnostics];
        }

        var (line, column) = _source.GetPosition(span.Start);
        var message = args.Length == 0
            ? descriptor.MessageFormat
            : string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, args);
        _items.Add(new SchedulerDiagnostic(descriptor.Severity, descriptor.Id, message, _source.Path, line, column, span.Start, span.Length));
        HasErrors |= descriptor.Severity == DiagnosticSeverity.Error;
    }

    /// <summary>All diagnostics in source order (stable for equal positions).</summary>
    public IReadOnlyList<SchedulerDiagnostic> ToSortedList()
    {
        var sorted = _items.Select((d, i) => (d, i)).OrderBy(x => x.d.Code == DiagnosticDescriptors.TooManyDiagnostics.Id).ThenBy(x => x.d.Offset).ThenBy(x => x.i).Select(x => x.d).ToArray();
        return sorted;
    }
}
