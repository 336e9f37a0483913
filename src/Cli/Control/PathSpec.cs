using ProgMp.Proxy;
using ProgMp.Proxy.Control;

namespace ProgMp.Cli.Control;

/// <summary>A path as written on the command line: <c>[LOCALIP@]HOST:PORT[,backup]</c>.</summary>
internal static class PathSpec
{
    private const string BackupSuffix = ",backup";

    public static PathAddRequest Parse(string spec)
    {
        var text = spec.Trim();
        var backup = text.EndsWith(BackupSuffix, StringComparison.OrdinalIgnoreCase);
        if (backup)
        {
            text = text[..^BackupSuffix.Length];
        }

        string? local = null;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            local = text[..at];
            text = text[(at + 1)..];
            if (!EndPointText.TryParseLocal(local, out _, out var localProblem))
            {
                throw CtlException.Usage($"path '{spec}': {localProblem}");
            }
        }

        if (text.Contains(',', StringComparison.Ordinal))
        {
            throw CtlException.Usage($"path '{spec}' is not [LOCALIP@]HOST:PORT[,backup]");
        }

        if (!EndPointText.TryParseRemote(text, out _, out var problem))
        {
            throw CtlException.Usage($"path '{spec}': {problem}");
        }

        return new PathAddRequest(text, local, backup);
    }
}
