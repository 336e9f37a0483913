using System.Collections.Frozen;
using System.Globalization;
using ProgMp.Engine.Security;

namespace ProgMp.Engine;

/// <summary>
/// The clients a listener admits, by public id. From a file (one client a line, <c>PUBLIC-ID [NAME]</c>,
/// <c>#</c> comments, blank lines), re-read whenever it changes, so removing a line revokes that client
/// without a restart: its next session or join is refused, and a listener ends its live sessions.
/// </summary>
/// <remarks>
/// A change is seen by the file's modification time and size, looked at on every handshake and by the
/// listener once a second (a <c>stat</c>, nothing more). A file that becomes unreadable or malformed
/// refuses every new session and join until it is fixed (fail closed), but ends no live session: a
/// half-saved edit must not cut everyone off.
/// </remarks>
public sealed class AuthorizedClients
{
    private readonly string? _path;
    private readonly Lock _gate = new();
    private FrozenDictionary<string, string> _clients;
    private (DateTime Modified, long Length) _stamp;
    private string? _problem;
    private int _version;

    private AuthorizedClients(string? path, FrozenDictionary<string, string> clients, (DateTime, long) stamp)
    {
        _path = path;
        _clients = clients;
        _stamp = stamp;
    }

    /// <summary>Reads the file now; later changes to it take effect by themselves.</summary>
    /// <exception cref="CredentialException">The file is missing, unreadable or malformed (the message names the line).</exception>
    public static AuthorizedClients Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        // The stamp before the text: a change in between is seen as one by the next look.
        var stamp = Stamp(path);
        return new AuthorizedClients(path, Parse(path, ReadText(path)), stamp);
    }

    /// <summary>A fixed list of public ids (each optionally followed by a space and a name), as in the file.</summary>
    /// <exception cref="CredentialException">An entry is malformed.</exception>
    public static AuthorizedClients FromLines(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return new AuthorizedClients(null, Parse("(list)", string.Join('\n', lines)), default);
    }

    /// <summary>The file this list comes from, or null for a fixed list.</summary>
    public string? FilePath => _path;

    /// <summary>How many clients are admitted now.</summary>
    public int Count
    {
        get
        {
            Refresh();
            lock (_gate)
            {
                return _problem is null ? _clients.Count : 0;
            }
        }
    }

    /// <summary>Grows by one each time the list is reloaded successfully; a listener then ends the sessions of clients no longer in it.</summary>
    internal int Version => Volatile.Read(ref _version);

    /// <summary>Whether <paramref name="publicId"/> is admitted by the list as last read (<see cref="Refresh"/> reads it again), with its name (empty when the line gave none).</summary>
    internal bool TryAuthorize(string publicId, out string name)
    {
        lock (_gate)
        {
            if (_problem is null && _clients.TryGetValue(publicId, out var found))
            {
                name = found;
                return true;
            }
        }

        name = "";
        return false;
    }

    /// <summary>Re-reads the file if its modification time or size changed. Returns the problem that keeps it unusable, or null.</summary>
    internal string? Refresh()
    {
        if (_path is null)
        {
            return null;
        }

        lock (_gate)
        {
            (DateTime, long) stamp;
            try
            {
                stamp = Stamp(_path);
            }
            catch (CredentialException e)
            {
                _stamp = default;
                _problem = e.Message;
                return _problem;
            }

            if (stamp == _stamp)
            {
                return _problem;
            }

            try
            {
                var text = ReadText(_path);
                if (Stamp(_path) != stamp)
                {
                    // Written while we read: what we have may be half a file. The next look reads it again.
                    return _problem;
                }

                _stamp = stamp;
                _clients = Parse(_path, text);
                _problem = null;
                Interlocked.Increment(ref _version);
            }
            catch (CredentialException e)
            {
                _stamp = stamp;
                _problem = e.Message;
            }

            return _problem;
        }
    }

    private static (DateTime Modified, long Length) Stamp(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new CredentialException($"authorized clients file '{path}' does not exist");
            }

            return (info.LastWriteTimeUtc, info.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CredentialException($"cannot read authorized clients file '{path}': {e.Message}", e);
        }
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CredentialException($"cannot read authorized clients file '{path}': {e.Message}", e);
        }
    }

    /// <summary>Every line is a comment, blank, or <c>PUBLIC-ID [NAME]</c>; the first bad line is the error, as <c>FILE(LINE): problem</c>.</summary>
    private static FrozenDictionary<string, string> Parse(string source, string text)
    {
        var clients = new Dictionary<string, (string Name, int Line)>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var space = line.IndexOfAny([' ', '\t']);
            var id = space < 0 ? line : line[..space];
            var name = space < 0 ? "" : line[(space + 1)..].Trim();
            if (PublicId.Problem(id) is { } problem)
            {
                throw new CredentialException($"{source}({lineNumber.ToString(CultureInfo.InvariantCulture)}): {problem}; expected PUBLIC-ID [NAME]");
            }

            if (clients.TryGetValue(id, out var earlier))
            {
                throw new CredentialException($"{source}({lineNumber.ToString(CultureInfo.InvariantCulture)}): {id} is already on line {earlier.Line.ToString(CultureInfo.InvariantCulture)}");
            }

            clients[id] = (name, lineNumber);
        }

        return clients.ToFrozenDictionary(p => p.Key, p => p.Value.Name, StringComparer.Ordinal);
    }
}
