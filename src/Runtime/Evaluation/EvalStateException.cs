namespace ProgMp.Runtime.Evaluation;

/// <summary>A state file problem, with the place it is at; caught by the reader and turned into its error.</summary>
internal sealed class EvalStateException : Exception
{
    public EvalStateException()
    {
    }

    public EvalStateException(string message)
        : base(message)
    {
    }

    public EvalStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
