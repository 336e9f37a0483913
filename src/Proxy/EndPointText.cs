using System.Net;

namespace ProgMp.Proxy;

/// <summary>Endpoints as people write them: <c>host:port</c> for a name (DnsEndPoint's own text says "Unspecified/host:port").</summary>
internal static class EndPointText
{
    public static string Format(EndPoint? endpoint) => endpoint switch
    {
        null => "(none)",
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "",
    };
}
