using ProgMp.Runtime;

namespace ProgMp.Compiler.Diagnostics;

/// <summary>One kind of problem: a stable id, a severity and a message format with <c>{0}</c> placeholders.</summary>
internal sealed record DiagnosticDescriptor(string Id, DiagnosticSeverity Severity, string Title, string MessageFormat);
