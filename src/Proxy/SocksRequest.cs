using System.Net;

namespace ProgMp.Proxy;

/// <summary>What a SOCKS5 handshake produced: a CONNECT destination, or the refusal already sent and why.</summary>
/// <param name="Destination">The destination (an <see cref="IPEndPoint"/> or a <see cref="DnsEndPoint"/>), or null when refused.</param>
/// <param name="Refusal">The code the client was sent when <paramref name="Destination"/> is null.</param>
/// <param name="Problem">Why, for the log.</param>
internal readonly record struct SocksRequest(EndPoint? Destination, SocksReply Refusal, string? Problem);
