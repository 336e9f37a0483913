namespace ProgMp.Engine.Wire;

/// <summary>How a <see cref="StreamOpenFrame"/> names where the peer should connect the stream.</summary>
internal enum DestinationKind : byte
{
    /// <summary>No destination: the peer's application accepts the stream itself.</summary>
    None = 0,

    /// <summary>An IPv4 address and a port.</summary>
    IPv4 = 1,

    /// <summary>An IPv6 address and a port.</summary>
    IPv6 = 2,

    /// <summary>A DNS host name, resolved by the peer (the remote proxy), and a port.</summary>
    HostName = 3,
}
