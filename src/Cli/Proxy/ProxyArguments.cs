using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using ProgMp.Engine;
using ProgMp.Proxy;

namespace ProgMp.Cli.Proxy;

/// <summary>
/// The address syntaxes of the proxy verbs, each parsed into what the proxies take or a one-line
/// reason naming the option and the text: <c>ADDRESS:PORT</c> (IPv6 as <c>[ADDRESS]:PORT</c>),
/// <c>[LOCALIP@]HOST:PORT[,backup]</c> and <c>ADDRESS:PORT=DESTHOST:DESTPORT</c>.
/// </summary>
internal static class ProxyArguments
{
    /// <summary>A listening endpoint: an IP address (a name would be ambiguous about the interface) and a port, 0 for any.</summary>
    public static bool TryParseListen(string option, string text, [NotNullWhen(true)] out IPEndPoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        if (!TrySplit(text, "ADDRESS", allowPortZero: true, out var host, out var port, out error))
        {
            error = $"{option} '{text}': {error}";
            return false;
        }

        if (!AllowRule.TryParseAddress(host, out var address))
        {
            error = $"{option} '{text}': '{host}' is not an IP address (listen on an address, such as 127.0.0.1, 0.0.0.0 or [::])";
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary><c>[LOCALIP@]HOST:PORT[,backup]</c>: one path to the remote proxy.</summary>
    public static bool TryParsePath(string text, [NotNullWhen(true)] out MultipathPath? path, [NotNullWhen(false)] out string? error)
    {
        path = null;
        var spec = text;
        var backup = false;
        var comma = spec.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            var flag = spec[(comma + 1)..];
            if (!flag.Equals("backup", StringComparison.OrdinalIgnoreCase))
            {
                error = $"--path '{text}': unknown flag '{flag}' (the only one is 'backup')";
                return false;
            }

            backup = true;
            spec = spec[..comma];
        }

        IPAddress? local = null;
        var at = spec.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            var localText = spec[..at].Trim('[', ']');
            if (!AllowRule.TryParseAddress(localText, out local))
            {
                error = $"--path '{text}': the local address '{spec[..at]}' is not an IP address";
                return false;
            }

            spec = spec[(at + 1)..];
        }

        if (!TrySplit(spec, "HOST", allowPortZero: false, out var host, out var port, out error))
        {
            error = $"--path '{text}': {error}";
            return false;
        }

        EndPoint remote = AllowRule.TryParseAddress(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
        if (local is not null && address is not null && local.AddressFamily != address.AddressFamily)
        {
            error = $"--path '{text}': the local address and the remote proxy's are not of the same IP version";
            return false;
        }

        path = new MultipathPath(remote, local is null ? null : new IPEndPoint(local, 0), backup);
        return true;
    }

    /// <summary><c>ADDRESS:PORT=DESTHOST:DESTPORT</c>: a fixed forward port.</summary>
    public static bool TryParseForward(string text, [NotNullWhen(true)] out ForwardRule? rule, [NotNullWhen(false)] out string? error)
    {
        rule = null;
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            error = $"--forward '{text}': expected LISTENADDRESS:PORT=DESTHOST:DESTPORT";
            return false;
        }

        if (!TryParseListen("--forward", text[..equals], out var listen, out error))
        {
            return false;
        }

        if (!TryParseDestination(text[(equals + 1)..], out var destination, out error))
        {
            error = $"--forward '{text}': {error}";
            return false;
        }

        rule = new ForwardRule(listen, destination);
        return true;
    }

    /// <summary><c>HOST:PORT</c> where the remote proxy connects: an IP end point or a host name it resolves.</summary>
    public static bool TryParseDestination(string text, [NotNullWhen(true)] out EndPoint? destination, [NotNullWhen(false)] out string? error)
    {
        destination = null;
        if (!TrySplit(text, "HOST", allowPortZero: false, out var host, out var port, out error))
        {
            return false;
        }

        var candidate = AllowRule.TryParseAddress(host, out var address) ? (EndPoint)new IPEndPoint(address, port) : new DnsEndPoint(host, port);
        if (!MultipathSession.IsValidDestination(candidate, out var problem))
        {
            error = $"'{text}' cannot be a destination: {problem}";
            return false;
        }

        destination = candidate;
        return true;
    }

    /// <summary>Splits <c>HOST:PORT</c> or <c>[IPV6]:PORT</c>.</summary>
    private static bool TrySplit(string text, string shape, bool allowPortZero, out string host, out int port, [NotNullWhen(false)] out string? error)
    {
        host = "";
        port = 0;
        string portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
            {
                error = "expected [ADDRESS]:PORT";
                return false;
            }

            host = text[1..close];
            portText = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 0)
            {
                error = $"expected {shape}:PORT";
                return false;
            }

            host = text[..colon];
            portText = text[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                error = "write an IPv6 address with its port as [ADDRESS]:PORT";
                return false;
            }
        }

        var least = allowPortZero ? 0 : 1;
        if (host.Length == 0)
        {
            error = "no host before the port";
            return false;
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port < least || port > 65535)
        {
            error = $"port '{portText}' is not a number from {least} to 65535";
            return false;
        }

        error = null;
        return true;
    }
}
