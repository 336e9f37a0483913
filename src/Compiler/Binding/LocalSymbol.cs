using ProgMp.Compiler.Text;

namespace ProgMp.Compiler.Binding;

/// <summary>A VAR, FOREACH variable or lambda parameter.</summary>
internal sealed class LocalSymbol
{
    public LocalSymbol(string name, LocalKind kind, BoundType type, bool mayBeNull, TextSpan declaration)
    {
        Name = name;
        Kind = kind;
        Type = type;
        MayBeNull = mayBeNull;
        Declaration = declaration;
    }

    public string Name { get; }

    public LocalKind Kind { get; }

    public BoundType Type { get; }

    public bool MayBeNull { get; }

    public TextSpan Declaration { get; }

    public bool IsUsed { get; set; }

    /// <summary>For a VAR initialized by a POP from Q: the DROP warning follows the packet through the variable.</summary>
    public bool HoldsPacketPoppedFromQ { get; set; }

    /// <summary>For a VAR initialized with <c>Q.TOP</c>: pushing it counts as pushing the packet a later <c>Q.POP()</c> takes.</summary>
    public bool HoldsTopOfQ { get; set; }

    public override string ToString() => Name;
}
