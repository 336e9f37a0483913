namespace ProgMp.Compiler.Emit;

/// <summary>
/// Integer division as the language defines it: NULL for a zero divisor or a NULL operand, wrapping
/// for <c>long.MinValue / -1</c>, and <c>x % -1</c> is 0 (where .NET would throw). Called by compiled code.
/// </summary>
internal static class Arithmetic
{
    public static long? Divide(long? left, long? right)
    {
        if (left is not { } a || right is not { } b || b == 0)
        {
            return null;
        }

        return b == -1 ? unchecked(-a) : a / b;
    }

    public static long? Modulo(long? left, long? right)
    {
        if (left is not { } a || right is not { } b || b == 0)
        {
            return null;
        }

        return b == -1 ? 0 : a % b;
    }
}
