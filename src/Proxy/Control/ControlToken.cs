using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using ProgMp.Engine.Security;

namespace ProgMp.Proxy.Control;

/// <summary>
/// The bearer token every control request must carry. Compared in constant time: both sides are
/// hashed first, so neither the contents nor the length of the right token leak through timing.
/// </summary>
internal sealed class ControlToken
{
    /// <summary>No token is this long; a bigger file is not a token file.</summary>
    public const int MaxFileBytes = 4096;

    private const string Scheme = "Bearer ";

    private readonly byte[] _hash;

    public ControlToken(string token)
    {
        if (Problem(token) is { } problem)
        {
            throw new ArgumentException(problem, nameof(token));
        }

        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Why <paramref name="token"/> cannot be a token (it must fit an HTTP header as RFC 6750's token68 does), or null.</summary>
    public static string? Problem(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return "the token is empty";
        }

        foreach (var c in token)
        {
            if (c is < '!' or > '~')
            {
                return "the token must be printable ASCII without spaces";
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="authorization"/> is <c>Bearer</c> followed by this token.</summary>
    public bool Accepts(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _hash);
    }

    /// <summary>
    /// Reads a token file: its text, trimmed. Refuses a file that is empty, too large, not a token, or
    /// (on Unix) open to anyone but its owner, the way ssh refuses an unprotected key.
    /// </summary>
    public static bool TryReadFile(string path, [NotNullWhen(true)] out string? token, [NotNullWhen(false)] out string? problem)
    {
        token = null;
        if (!OwnerOnlyFile.TryRead(path, "token file", MaxFileBytes, out var text, out problem))
        {
            return false;
        }

        text = text.Trim();
        if (Problem(text) is { } invalid)
        {
            problem = $"token file '{path}': {(text.Length == 0 ? "the file is empty" : invalid)}";
            return false;
        }

        token = text;
        return true;
    }
}
