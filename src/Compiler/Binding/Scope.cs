namespace ProgMp.Compiler.Binding;

/// <summary>
/// A block's or lambda's names. <see cref="DeclaredLater"/> holds the block's VAR names not yet reached,
/// so that a use before the declaration gets its own message rather than "unknown name".
/// </summary>
internal sealed class Scope
{
    private readonly Dictionary<string, LocalSymbol> _locals = new(StringComparer.Ordinal);

    public Scope(Scope? parent)
    {
        Parent = parent;
    }

    public Scope? Parent { get; }

    public HashSet<string> DeclaredLater { get; } = new(StringComparer.Ordinal);

    public bool TryDeclare(LocalSymbol symbol) => _locals.TryAdd(symbol.Name, symbol);

    public LocalSymbol? Lookup(string name)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._locals.TryGetValue(name, out var symbol))
            {
                return symbol;
            }
        }

        return null;
    }

    public bool IsDeclaredLater(string name)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope.DeclaredLater.Contains(name))
            {
                return true;
            }
        }

        return false;
    }
}
