using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace ProgMp.Proxy;

/// <summary>
/// The destinations a <see cref="RemoteProxy"/> connects to. An IP destination must fall in one of the
/// network rules. A host-name destination is allowed outright when a host rule names it; otherwise
/// only those of its resolved addresses that a network rule allows are tried, so a name cannot lead
/// the proxy anywhere an address could not. Above every rule: the proxy's own ports
/// (<see cref="OwnEndPoints"/>) and the unspecified addresses are never destinations, by address or
/// by name. Empty input means <see cref="LoopbackOnly"/>: a proxy started without thinking about it
/// is never an open relay. docs/proxy.md has the examples.
/// </summary>
internal sealed class AllowList
{
    private AllowList(IReadOnlyList<AllowRule> rules)
    {
        Rules = rules;
    }

    /// <summary>127.0.0.0/8 and ::1, every port: the default.</summary>
    public static AllowList LoopbackOnly { get; } = new([AllowRule.Parse("127.0.0.0/8"), AllowRule.Parse("::1")]);

    public IReadOnlyList<AllowRule> Rules { get; }

    /// <summary>Parses every entry; the first bad one throws <see cref="FormatException"/> naming it.</summary>
    public static AllowList Parse(IEnumerable<string> entries) =>
        TryParse(entries, out var list, out var error) ? list : throw new FormatException(error);

    public static bool TryParse(IEnumerable<string> entries, [NotNullWhen(true)] out AllowList? list, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(entries);
        list = null;
        var rules = new List<AllowRule>();
        foreach (var entry in entries)
        {
            if (!AllowRule.TryParse(entry, out var rule, out error))
            {
                return false;
            }

            rules.Add(rule);
        }

        list = rules.Count == 0 ? LoopbackOnly : new AllowList(rules);
        error = null;
        return true;
    }

    public bool Allows(IPAddress address, int port)
    {
        foreach (var rule in Rules)
        {
            if (rule.Matches(address, port))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the proxy may connect to <paramref name="address"/>:<paramref name="port"/>: never to
    /// one of <paramref name="own"/> or to 0.0.0.0 or :: (which reach this host), otherwise when a
    /// network rule covers it.
    /// </summary>
    public bool Permits(IPAddress address, int port, OwnEndPoints own)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(own);
        return !OwnEndPoints.IsUnspecified(address) && !own.Covers(address, port) && Allows(address, port);
    }

    /// <summary>
    /// The addresses <paramref name="host"/> resolved to that the proxy may connect to: all of them
    /// when a host rule names it, otherwise those a network rule covers; in both cases without the
    /// proxy's own ports and the unspecified addresses. Empty: refused like a denied address.
    /// </summary>
    public IPAddress[] PermittedAddresses(string host, int port, IReadOnlyList<IPAddress> addresses, OwnEndPoints own)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(own);
        var byName = AllowsHost(host, port);
        return addresses.Where(a => !OwnEndPoints.IsUnspecified(a) && !own.Covers(a, port) && (byName || Allows(a, port))).ToArray();
    }

    /// <summary>True when a host rule names <paramref name="host"/>: then every address it resolves to is allowed.</summary>
    public bool AllowsHost(string host, int port)
    {
        foreach (var rule in Rules)
        {
            if (rule.MatchesHost(host, port))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => string.Join(", ", Rules);
}
