using ProgMp.Proxy.Control;

namespace ProgMp.Cli.Control;

/// <summary>
/// Why a <c>progmp ctl</c> verb failed, as the one line it prints, with the exit code: 2 for wrong
/// arguments, 1 for everything the endpoint refused or could not be asked. A program that does not
/// compile also carries the diagnostics, printed as <c>check</c> prints them.
/// </summary>
internal sealed class CtlException : Exception
{
    public CtlException(int exitCode, string reason, IReadOnlyList<DiagnosticReport>? diagnostics = null)
        : base(reason)
    {
        ExitCode = exitCode;
        Diagnostics = diagnostics ?? [];
    }

    public int ExitCode { get; }

    public IReadOnlyList<DiagnosticReport> Diagnostics { get; }

    public static CtlException Usage(string reason) => new(ProgMpCommand.ExitUsage, reason);

    public static CtlException Failed(string reason) => new(ProgMpCommand.ExitProgramErrors, reason);
}
