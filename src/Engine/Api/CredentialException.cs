namespace ProgMp.Engine;

/// <summary>
/// A key file or an authorized-clients file that cannot be used: missing, readable by others than its
/// owner, malformed (the message names the file and line), or holding the wrong kind of key.
/// </summary>
public sealed class CredentialException : Exception
{
    /// <summary>Creates the exception with a one-line message that says what is wrong and where.</summary>
    public CredentialException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and the failure behind it.</summary>
    public CredentialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public CredentialException()
    {
    }
}
