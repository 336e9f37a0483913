using ProgMp.Engine.Security;

namespace ProgMp.Engine;

/// <summary>
/// How subflows are protected (<see cref="MultipathOptions.Security"/>). With <see cref="Tls"/>, every
/// subflow is TLS 1.3 with certificates on both sides: a listener admits only the clients in its
/// <see cref="AuthorizedClients"/>, a client talks only to the server whose public id it pins, and
/// setup, joins and data travel inside the encryption. <see cref="InsecurePlaintext"/> is the
/// explicit opt-out for loopback experiments; listener and client log a warning when they use it.
/// </summary>
public sealed class MultipathSecurity
{
    private MultipathSecurity(MultipathIdentity? identity, AuthorizedClients? authorizedClients, string? serverId)
    {
        Identity = identity;
        AuthorizedClients = authorizedClients;
        ServerId = serverId;
    }

    /// <summary>No authentication, no encryption: anyone who reaches the listener gets a session, and everything travels in clear.</summary>
    public static MultipathSecurity InsecurePlaintext { get; } = new(null, null, null);

    /// <summary>
    /// TLS 1.3 under this side's <paramref name="identity"/>. A listener needs
    /// <paramref name="authorizedClients"/> (whom it admits), a client <paramref name="serverId"/> (the
    /// public id its server must prove); a host that is both gives both.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="serverId"/> is not a public id.</exception>
    public static MultipathSecurity Tls(MultipathIdentity identity, AuthorizedClients? authorizedClients = null, string? serverId = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (serverId is not null && PublicId.Problem(serverId) is { } problem)
        {
            throw new ArgumentException(problem, nameof(serverId));
        }

        return new MultipathSecurity(identity, authorizedClients, serverId);
    }

    /// <summary>True for <see cref="InsecurePlaintext"/>.</summary>
    public bool IsPlaintext => Identity is null;

    /// <summary>This side's identity; null in plaintext.</summary>
    public MultipathIdentity? Identity { get; }

    /// <summary>The clients a listener admits; null for a client only.</summary>
    public AuthorizedClients? AuthorizedClients { get; }

    /// <summary>The public id a client requires of its server; null for a listener only.</summary>
    public string? ServerId { get; }

    /// <summary>The security a listener may run with, or an exception that says what to set.</summary>
    internal static MultipathSecurity ForListener(MultipathOptions options)
    {
        var security = Required(options);
        if (!security.IsPlaintext && security.AuthorizedClients is null)
        {
            throw new ArgumentException("A listener needs to know whom it admits: MultipathSecurity.Tls(identity, authorizedClients: AuthorizedClients.Load(path)).", nameof(options));
        }

        return security;
    }

    /// <summary>The security a client may run with, or an exception that says what to set.</summary>
    internal static MultipathSecurity ForClient(MultipathOptions options)
    {
        var security = Required(options);
        if (!security.IsPlaintext && security.ServerId is null)
        {
            throw new ArgumentException("A client needs the public id of its server: MultipathSecurity.Tls(identity, serverId: \"pmp-...\").", nameof(options));
        }

        return security;
    }

    private static MultipathSecurity Required(MultipathOptions options) =>
        options.Security ?? throw new ArgumentException(
            "MultipathOptions.Security is not set: use MultipathSecurity.Tls(identity, ...) to authenticate and encrypt subflows, "
            + "or MultipathSecurity.InsecurePlaintext to opt out of both (loopback experiments only).",
            nameof(options));

    /// <summary>What this is, without secrets.</summary>
    public override string ToString() => IsPlaintext ? "insecure plaintext" : $"TLS 1.3 as {Identity!.PublicId}";
}
