using System.Globalization;

namespace ProgMp.Cli.Compare;

/// <summary>One problem in a scenario: where it is and a one-line reason, printed as compilers print theirs (<c>wifi-lte.scenario(7): error: path 'lte' has no rate</c>).</summary>
internal sealed record ScenarioDiagnostic(string File, int Line, string Message)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{File}({Line}): error: {Message}");
}
