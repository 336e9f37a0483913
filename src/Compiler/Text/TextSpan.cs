using System.Runtime.InteropServices;

namespace ProgMp.Compiler.Text;

/// <summary>A range of program text: 0-based start offset and length, in UTF-16 characters.</summary>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public static TextSpan FromBounds(int start, int end) => new(start, Math.Max(0, end - start));

    /// <summary>The smallest span that covers both.</summary>
    public TextSpan Cover(TextSpan other) => FromBounds(Math.Min(Start, other.Start), Math.Max(End, other.End));
}
