using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace ProgMp.Engine.Control;

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
        ArgumentNullException.ThrowIfNull(path);
        token = null;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                problem = $"token file '{path}' does not exist";
                return false;
            }

            if (!OperatingSystem.IsWindows())
            {
                const UnixFileMode OthersThanOwner = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                    | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
                var mode = info.UnixFileMode;
                if ((mode & OthersThanOwner) != 0)
                {
                    problem = $"token file '{path}' is open to group or others (mode {System.Convert.ToString((int)mode, 8).PadLeft(4, '0')}); make it private with: chmod 600 '{path}'";
                    return false;
                }
            }

            if (info.Length > MaxFileBytes)
            {
                problem = $"token file '{path}' is {info.Length} bytes: too long for a token";
                return false;
            }

            var text = File.ReadAllText(path).Trim();
            if (Problem(text) is { } invalid)
            {
                problem = $"token file '{path}': {(text.Length == 0 ? "the file is empty" : invalid)}";
                return false;
            }

            token = text;
            problem = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = $"cannot read token file '{path}': {e.Message}";
            return false;
        }
    }
}
