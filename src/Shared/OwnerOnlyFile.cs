using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ProgMp.Shared;

/// <summary>
/// Files that hold a secret (the control token, an identity's private key): read only when no one but
/// their owner may open them, the way ssh refuses an unprotected key, and written so from the start.
/// </summary>
internal static class OwnerOnlyFile
{
    private const UnixFileMode OthersThanOwner = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Reads a small secret file as UTF-8 text. Refuses one that is missing, larger than
    /// <paramref name="maxBytes"/>, or (on Unix) open to group or others; <paramref name="what"/> names
    /// the file in the one-line <paramref name="problem"/> ("token file", "key file").
    /// </summary>
    public static bool TryRead(string path, string what, int maxBytes, [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(path);
        text = null;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                problem = $"{what} '{path}' does not exist";
                return false;
            }

            if (!OperatingSystem.IsWindows() && (info.UnixFileMode & OthersThanOwner) != 0)
            {
                var mode = Convert.ToString((int)info.UnixFileMode, 8).PadLeft(4, '0');
                problem = $"{what} '{path}' is open to group or others (mode {mode}); make it private with: chmod 600 '{path}'";
                return false;
            }

            if (info.Length > maxBytes)
            {
                problem = $"{what} '{path}' is {info.Length.ToString(CultureInfo.InvariantCulture)} bytes: too long for a {what.Replace(" file", "", StringComparison.Ordinal)}";
                return false;
            }

            text = File.ReadAllText(path, Encoding.UTF8);
            problem = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = $"cannot read {what} '{path}': {e.Message}";
            return false;
        }
    }

    /// <summary>
    /// Creates <paramref name="path"/> with <paramref name="text"/>, readable and writable by its owner
    /// only from the first byte (never created open and narrowed afterwards); never replaces a file.
    /// </summary>
    /// <exception cref="IOException">The file exists or cannot be created.</exception>
    public static void WriteNew(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.Write(text);
    }
}
