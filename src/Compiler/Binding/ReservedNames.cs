namespace ProgMp.Compiler.Binding;

/// <summary>Keywords, built-ins and register names (LANGUAGE.md, Programs).</summary>
internal static class ReservedNames
{
    public static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "SCHEDULER", "VAR", "IF", "ELSE", "FOREACH", "IN", "RETURN", "DROP", "SET", "PRINT", "VOID", "AND", "OR",
        "TRUE", "FALSE", "NULL",
    };

    public static readonly HashSet<string> BuiltIns = new(StringComparer.Ordinal)
    {
        "Q", "QU", "RQ", "SUBFLOWS", "CURRENT_TIME_MS", "RANDOM",
    };

    /// <summary><c>R</c> and one digit: R1..R6 are registers, R0 and R7..R9 are errors wherever they appear.</summary>
    public static bool IsRegisterLike(string name) => name.Length == 2 && name[0] == 'R' && char.IsAsciiDigit(name[1]);

    /// <summary>Register index 0..5 for R1..R6, or -1.</summary>
    public static int RegisterIndex(string name) => IsRegisterLike(name) && name[1] is >= '1' and <= '6' ? name[1] - '1' : -1;

    /// <summary>What kind of reserved name this is, for messages; null if the name is free.</summary>
    public static string? Describe(string name)
    {
        if (Keywords.Contains(name))
        {
            return "a keyword";
        }

        if (BuiltIns.Contains(name))
        {
            return "a built-in";
        }

        return IsRegisterLike(name) ? "a register name" : null;
    }
}
