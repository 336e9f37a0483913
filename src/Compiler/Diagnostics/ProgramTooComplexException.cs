namespace ProgMp.Compiler.Diagnostics;

/// <summary>
/// Thrown by the recursive compiler passes when the stack runs low, and caught at the top of a
/// compilation, which reports PMP0010 instead of letting the process die of a stack overflow.
/// </summary>
internal sealed class ProgramTooComplexException : Exception
{
    public ProgramTooComplexException()
        : base("The program is nested too deeply to compile.")
    {
    }

    public ProgramTooComplexException(string message)
        : base(message)
    {
    }

    public ProgramTooComplexException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
