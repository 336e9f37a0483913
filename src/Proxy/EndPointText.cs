using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ProgMp.Proxy;

/// <summary>Endpoints as people write them: <c>HOST:PORT</c> (an IP literal, <c>[v6]:port</c> or a name) and a local <c>IP</c> or <c>IP:PORT</c>.</summary>
internal static class EndPointText
{
    /// <summary>An endpoint for messages: <c>host:port</c> for a name (DnsEndPoint's own text says "Unspecified/host:port").</summary>
    public static string Format(EndPoint? endpoint) => endpoint switch
    {
        null => "(none)",
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "",
    };

    /// <summary>A remote endpoint: an <see cref="IPEndPoint"/> for an address, a <see cref="DnsEndPoint"/> for a name.</summary>
    public static bool TryParseRemote(string text, [NotNullWhen(true)] out EndPoint? endpoint, [NotNullWhen(false)] out string? problem)
    {
        endpoint = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            problem = $"'{text}' is not HOST:PORT";
            return false;
        }

        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            problem = $"'{text[(colon + 1)..]}' is not a port (1 to 65535)";
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (IPAddress.TryParse(host, out var address))
        {
            endpoint = new IPEndPoint(address, port);
        }
        else if (Uri.CheckHostName(host) == UriHostNameType.Dns)
        {
            endpoint = new DnsEndPoint(host, port);
        }
        else
        {
            problem = $"'{host}' is neither an IP address nor a host name";
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>A local address to bind: an IP with port 0 (the system's choice), or IP:PORT.</summary>
    public static bool TryParseLocal(string text, [NotNullWhen(true)] out IPEndPoint? endpoint, [NotNullWhen(false)] out string? problem)
    {
        // IPEndPoint.TryParse takes "IP" (port 0), "IP:PORT", "v6" and "[v6]:PORT".
        if (!IPEndPoint.TryParse(text, out endpoint))
        {
            problem = $"'{text}' is not a local IP address (or IP:PORT)";
            return false;
        }

        if (endpoint.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            problem = $"'{text}' is not an IPv4 or IPv6 address";
            endpoint = null;
            return false;
        }

        problem = null;
        return true;
    }
}
