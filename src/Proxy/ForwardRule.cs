using System.Net;

namespace ProgMp.Proxy;

/// <summary>A fixed port of the local proxy: every connection to <paramref name="Listen"/> goes to <paramref name="Destination"/> (an IP or a host name the remote proxy resolves).</summary>
internal sealed record ForwardRule(IPEndPoint Listen, EndPoint Destination)
{
    public override string ToString() => $"{Listen}={EndPointText.Format(Destination)}";
}
