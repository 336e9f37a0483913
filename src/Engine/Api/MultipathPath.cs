using System.Net;

namespace ProgMp.Engine;

/// <summary>One path of a client's session: where its subflow connects to, optionally from which local address, and whether it is a backup.</summary>
/// <param name="Remote">The server's address for this path (an <see cref="IPEndPoint"/> or a <see cref="DnsEndPoint"/>).</param>
/// <param name="Local">The local address to bind (the interface the path leaves by), or null for the system's choice.</param>
/// <param name="Backup">Subflows on this path are backups (<c>IS_BACKUP</c>): used when the scheduler says so.</param>
public sealed record MultipathPath(EndPoint Remote, IPEndPoint? Local = null, bool Backup = false)
{
    /// <inheritdoc/>
    public override string ToString() => (Local is null ? "" : $"{DescribeLocal(Local)}@") + Describe(Remote) + (Backup ? ",backup" : "");

    /// <summary>A local bind as it is written: the IP alone when the port is the system's choice (0), as <c>--path</c> takes it.</summary>
    internal static string DescribeLocal(IPEndPoint local) => local.Port == 0 ? local.Address.ToString() : local.ToString();

    private static string Describe(EndPoint endpoint) => endpoint switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "",
    };
}
