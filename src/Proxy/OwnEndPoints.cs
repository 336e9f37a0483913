using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace ProgMp.Proxy;

/// <summary>
/// The endpoints a proxy itself listens on (its multipath ports, its control port): never a
/// destination, whatever the allow list says, or a stream could reach the proxy's own control
/// endpoint or loop back into the proxy. A wildcard listening address (<c>0.0.0.0</c>, <c>::</c>)
/// stands for every address of this host, loopback included, of either IP version (a <c>::</c>
/// socket takes IPv4 too on Linux).
/// </summary>
internal sealed class OwnEndPoints
{
    private readonly Func<IEnumerable<IPAddress>> _hostAddresses;
    private readonly Lock _gate = new();
    private IPEndPoint[] _endpoints = [];

    public OwnEndPoints()
        : this(InterfaceAddresses)
    {
    }

    /// <param name="hostAddresses">This host's addresses, asked afresh at each check that needs them (interfaces come and go).</param>
    internal OwnEndPoints(Func<IEnumerable<IPAddress>> hostAddresses)
    {
        _hostAddresses = hostAddresses;
    }

    public IReadOnlyList<IPEndPoint> EndPoints => Volatile.Read(ref _endpoints);

    public void Add(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_gate)
        {
            _endpoints = [.. _endpoints, new IPEndPoint(Normalize(endpoint.Address), endpoint.Port)];
        }
    }

    /// <summary>True when connecting to <paramref name="address"/>:<paramref name="port"/> would reach one of these endpoints.</summary>
    public bool Covers(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = Normalize(address);
        var wildcard = false;
        foreach (var own in Volatile.Read(ref _endpoints))
        {
            if (own.Port != port)
            {
                continue;
            }

            // Connecting to 0.0.0.0 or :: reaches this host, so it meets a listener on any of its addresses.
            if (IsUnspecified(own.Address) || IsUnspecified(address))
            {
                wildcard = true;
            }
            else if (own.Address.Equals(address))
            {
                return true;
            }
        }

        return wildcard && IsThisHost(address);
    }

    /// <summary>0.0.0.0 or ::: not an address one connects to, but on Linux a way to reach this host.</summary>
    public static bool IsUnspecified(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var plain = Normalize(address);
        return plain.Equals(IPAddress.Any) || plain.Equals(IPAddress.IPv6Any);
    }

    private bool IsThisHost(IPAddress address)
    {
        if (IPAddress.IsLoopback(address) || IsUnspecified(address))
        {
            return true;
        }

        try
        {
            foreach (var local in _hostAddresses())
            {
                if (Normalize(local).Equals(address))
                {
                    return true;
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Without the list, any address might be this host's: refuse rather than guess.
            return true;
        }

        return false;
    }

    /// <summary>IPv4-mapped addresses as IPv4, and no scope id (fe80::1%2 is fe80::1 to a destination check).</summary>
    private static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;
    }

    private static IEnumerable<IPAddress> InterfaceAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address);
}
