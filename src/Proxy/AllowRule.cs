using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ProgMp.Proxy;

/// <summary>
/// One entry of an <see cref="AllowList"/>: an IP network (a single address is a /32 or /128), a host
/// name, or <c>*.suffix</c> for every name below a domain; optionally limited to one port.
/// Syntax: <c>HOST|CIDR[:PORT]</c>; an IPv6 address or network takes its port in brackets,
/// <c>[::1]:22</c> or <c>[fd00::/8]:443</c>.
/// </summary>
internal sealed class AllowRule
{
    private readonly byte[]? _network;

    private AllowRule(string text, byte[]? network, int prefixLength, string? host, int? port)
    {
        Text = text;
        _network = network;
        PrefixLength = prefixLength;
        Host = host;
        Port = port;
    }

    /// <summary>The entry as written.</summary>
    public string Text { get; }

    /// <summary>The network's address, or null for a host-name rule.</summary>
    public IPAddress? Network => _network is null ? null : new IPAddress(_network);

    public int PrefixLength { get; }

    /// <summary>The host name (lower case, no trailing dot; <c>*.</c> kept for a wildcard), or null for a network rule.</summary>
    public string? Host { get; }

    /// <summary>The only port the rule allows, or null for every port.</summary>
    public int? Port { get; }

    public static AllowRule Parse(string text) =>
        TryParse(text, out var rule, out var error) ? rule : throw new FormatException(error);

    public static bool TryParse(string text, [NotNullWhen(true)] out AllowRule? rule, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        rule = null;
        var entry = text.Trim();
        if (entry.Length == 0)
        {
            error = "an empty allow entry; expected HOST, IP or CIDR, optionally with :PORT";
            return false;
        }

        if (!SplitPort(entry, out var target, out var port, out error))
        {
            error = $"'{text}': {error}";
            return false;
        }

        if (target.Contains('/', StringComparison.Ordinal) || IsAddress(target))
        {
            if (!TryParseNetwork(target, out var network, out var prefix, out error))
            {
                error = $"'{text}': {error}";
                return false;
            }

            rule = new AllowRule(entry, network, prefix, null, port);
            return true;
        }

        if (!TryParseHost(target, out var host, out error))
        {
            error = $"'{text}': {error}";
            return false;
        }

        rule = new AllowRule(entry, null, 0, host, port);
        return true;
    }

    /// <summary>True when <paramref name="address"/> lies in this rule's network and the port fits.</summary>
    public bool Matches(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_network is null || (Port is { } only && only != port))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var length) || length != _network.Length)
        {
            return false;
        }

        return PrefixEquals(bytes[..length], _network, PrefixLength);
    }

    /// <summary>True when <paramref name="host"/> is this rule's name (or below its wildcard) and the port fits.</summary>
    public bool MatchesHost(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (Host is null || (Port is { } only && only != port))
        {
            return false;
        }

        var name = host.EndsWith('.') ? host[..^1] : host;
        return Host.StartsWith("*.", StringComparison.Ordinal)
            ? name.Length > Host.Length - 1 && name.EndsWith(Host[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(name, Host, StringComparison.OrdinalIgnoreCase);
    }

    public override string ToString() => Text;

    private static bool SplitPort(string entry, out string target, out int? port, out string? error)
    {
        target = entry;
        port = null;
        error = null;
        string? portText = null;
        if (entry.StartsWith('['))
        {
            // [v6], [v6]:port, [v6/len], [v6/len]:port, [v6]/len, [v6]/len:port
            var close = entry.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "'[' without its ']'";
                return false;
            }

            var rest = entry[(close + 1)..];
            var suffix = "";
            if (rest.StartsWith('/'))
            {
                var colon = rest.IndexOf(':', StringComparison.Ordinal);
                suffix = colon < 0 ? rest : rest[..colon];
                rest = colon < 0 ? "" : rest[colon..];
            }

            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':'))
                {
                    error = $"unexpected '{rest}' after ']'";
                    return false;
                }

                portText = rest[1..];
            }

            target = entry[1..close] + suffix;
            if (!target.Contains(':', StringComparison.Ordinal))
            {
                error = "brackets are for IPv6 addresses";
                return false;
            }
        }
        else
        {
            var colons = entry.Count(c => c == ':');
            if (colons == 1)
            {
                var colon = entry.IndexOf(':', StringComparison.Ordinal);
                target = entry[..colon];
                portText = entry[(colon + 1)..];
            }
            else if (colons > 1 && !IsAddress(entry.Split('/')[0]))
            {
                error = "not an IPv6 address (write an IPv6 address with a port as [ADDRESS]:PORT)";
                return false;
            }
        }

        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 65535)
            {
                error = $"port '{portText}' is not a number from 1 to 65535";
                return false;
            }

            port = value;
        }

        if (target.Length == 0)
        {
            error = "no host or address before the port";
            return false;
        }

        return true;
    }

    private static bool TryParseNetwork(string target, [NotNullWhen(true)] out byte[]? network, out int prefix, [NotNullWhen(false)] out string? error)
    {
        network = null;
        prefix = 0;
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? target : target[..slash];
        if (!TryParseAddress(addressText, out var address))
        {
            error = $"'{addressText}' is not an IPv4 or IPv6 address";
            return false;
        }

        if (address.IsIPv4MappedToIPv6 && slash < 0)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        var bits = bytes.Length * 8;
        prefix = bits;
        if (slash >= 0)
        {
            var prefixText = target[(slash + 1)..];
            if (!int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits)
            {
                error = $"prefix length '{prefixText}' must be a number from 0 to {bits} for {(bits == 32 ? "IPv4" : "IPv6")}";
                return false;
            }

            var masked = (byte[])bytes.Clone();
            for (var i = 0; i < masked.Length; i++)
            {
                var keep = Math.Clamp(prefix - (i * 8), 0, 8);
                masked[i] &= (byte)(0xFF << (8 - keep));
            }

            if (!masked.AsSpan().SequenceEqual(bytes))
            {
                error = $"the address has bits set beyond the /{prefix} prefix (the network is {new IPAddress(masked)}/{prefix})";
                return false;
            }
        }

        network = bytes;
        error = null;
        return true;
    }

    private static bool TryParseHost(string target, [NotNullWhen(true)] out string? host, [NotNullWhen(false)] out string? error)
    {
        host = null;
        var name = target.EndsWith('.') ? target[..^1] : target;
        var wildcard = name.StartsWith("*.", StringComparison.Ordinal);
        var labels = (wildcard ? name[2..] : name).Split('.');
        if (name.Length is 0 or > 253 || labels.Any(l => l.Length is 0 or > 63 || !l.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            error = "not an IP address, a CIDR network or a host name (labels of letters, digits, '-' or '_', or *.domain)";
            return false;
        }

        if (labels.All(l => l.All(char.IsAsciiDigit)))
        {
            error = "looks like an IPv4 address but is not one (four numbers from 0 to 255)";
            return false;
        }

        host = name.ToLowerInvariant();
        error = null;
        return true;
    }

    /// <summary>An IPv4 address in its four-number form, or any IPv6 address; not the shorthands IPAddress also takes ("10.1").</summary>
    internal static bool TryParseAddress(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (!IPAddress.TryParse(text, out var parsed) || parsed.ToString().Contains('%', StringComparison.Ordinal))
        {
            return false;
        }

        if (parsed.AddressFamily == AddressFamily.InterNetwork)
        {
            var parts = text.Split('.');
            if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit)))
            {
                return false;
            }
        }
        else if (!text.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    private static bool IsAddress(string text) => TryParseAddress(text, out _);

    private static bool PrefixEquals(ReadOnlySpan<byte> address, ReadOnlySpan<byte> network, int prefix)
    {
        var whole = prefix / 8;
        if (!address[..whole].SequenceEqual(network[..whole]))
        {
            return false;
        }

        var rest = prefix % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (address[whole] & mask) == (network[whole] & mask);
    }
}
