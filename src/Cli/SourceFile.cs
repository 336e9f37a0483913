using System.Diagnostics.CodeAnalysis;

namespace ProgMp.Cli;

/// <summary>Reads a program or state file, turning every I/O failure into a one-line reason.</summary>
internal static class SourceFile
{
    /// <summary>Files larger than this are refused: no scheduler is that long, and reading one would only waste memory.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Whether a command-line argument names a file rather than a built-in: it ends in
    /// <paramref name="extension"/>, has a directory in it, or is no built-in's name but an existing file.
    /// </summary>
    public static bool NamesFile(string spec, string extension, bool isBuiltIn) =>
        spec.EndsWith(extension, StringComparison.OrdinalIgnoreCase) || spec.Contains('/', StringComparison.Ordinal)
        || spec.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || (!isBuiltIn && File.Exists(spec));

    public static bool TryRead(string path, TextWriter error, [NotNullWhen(true)] out string? text)
    {
        text = null;
        try
        {
            if (path == "-")
            {
                text = Console.In.ReadToEnd();
                return true;
            }

            var info = new FileInfo(path);
            if (Directory.Exists(path))
            {
                error.WriteLine($"progmp: '{path}' is a directory, not a file.");
                return false;
            }

            if (!info.Exists)
            {
                error.WriteLine($"progmp: cannot read '{path}': no such file.");
                return false;
            }

            if (info.Length > MaxBytes)
            {
                error.WriteLine($"progmp: '{path}' is {info.Length} bytes; files over {MaxBytes} bytes are refused.");
                return false;
            }

            text = File.ReadAllText(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"progmp: cannot read '{path}': {e.Message}");
            return false;
        }
    }
}
