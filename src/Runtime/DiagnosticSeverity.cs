namespace ProgMp.Runtime;

/// <summary>How bad a diagnostic is: an error keeps a program from loading, a warning does not.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The program loads; something in it is probably not what was meant.</summary>
    Warning,

    /// <summary>The program does not load.</summary>
    Error,
}
