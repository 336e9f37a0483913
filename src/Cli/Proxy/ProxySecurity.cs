using System.Diagnostics.CodeAnalysis;
using System.Net;
using ProgMp.Engine;
using ProgMp.Engine.Security;

namespace ProgMp.Cli.Proxy;

/// <summary>
/// The proxies' credentials flags, checked before anything listens: <c>--key</c> with
/// <c>--authorized-clients</c> (remote) or <c>--remote-id</c> (local), or the explicit
/// <c>--insecure-plaintext</c>, which the remote proxy allows on loopback only. Every problem is one
/// line; a credential file that cannot be used is a wrong argument, as a bad <c>--token-file</c> is.
/// </summary>
internal static class ProxySecurity
{
    private const string MakeKeys = "make them with 'progmp key create'";

    public static bool TryCreateRemote(string? keyFile, string? authorizedFile, bool insecure, IReadOnlyList<IPEndPoint> listen, [NotNullWhen(true)] out MultipathSecurity? security, [NotNullWhen(false)] out string? problem)
    {
        security = null;
        var exposed = listen.FirstOrDefault(e => !IPAddress.IsLoopback(e.Address));
        if (insecure)
        {
            if (keyFile is not null || authorizedFile is not null)
            {
                problem = "--insecure-plaintext cannot be combined with --key or --authorized-clients";
                return false;
            }

            if (exposed is not null)
            {
                problem = $"without credentials the remote proxy listens on loopback only, not on {exposed}: give --key FILE and --authorized-clients FILE ({MakeKeys})";
                return false;
            }

            security = MultipathSecurity.InsecurePlaintext;
            problem = null;
            return true;
        }

        if (keyFile is null && authorizedFile is null)
        {
            problem = exposed is not null
                ? $"without credentials the remote proxy listens on loopback only, not on {exposed}: give --key FILE and --authorized-clients FILE ({MakeKeys})"
                : $"the remote proxy needs --key FILE and --authorized-clients FILE ({MakeKeys}), or --insecure-plaintext to run unencrypted on loopback";
            return false;
        }

        if (keyFile is null || authorizedFile is null)
        {
            problem = keyFile is null ? "--authorized-clients needs --key FILE: the remote proxy's own identity" : "--key needs --authorized-clients FILE: the clients the remote proxy admits";
            return false;
        }

        try
        {
            security = MultipathSecurity.Tls(MultipathIdentity.Load(keyFile), authorizedClients: AuthorizedClients.Load(authorizedFile));
        }
        catch (CredentialException e)
        {
            problem = e.Message;
            return false;
        }

        problem = null;
        return true;
    }

    public static bool TryCreateLocal(string? keyFile, string? remoteId, bool insecure, [NotNullWhen(true)] out MultipathSecurity? security, [NotNullWhen(false)] out string? problem)
    {
        security = null;
        if (insecure)
        {
            if (keyFile is not null || remoteId is not null)
            {
                problem = "--insecure-plaintext cannot be combined with --key or --remote-id";
                return false;
            }

            security = MultipathSecurity.InsecurePlaintext;
            problem = null;
            return true;
        }

        if (keyFile is null || remoteId is null)
        {
            problem = keyFile is null && remoteId is null
                ? $"the local proxy needs --key FILE and --remote-id ID, the remote proxy's public id ({MakeKeys}; 'progmp key show' prints the id), or --insecure-plaintext to run unencrypted"
                : keyFile is null ? "--remote-id needs --key FILE: the local proxy's own identity" : "--key needs --remote-id ID: the public id of the remote proxy ('progmp key show' on its key prints it)";
            return false;
        }

        if (!MultipathIdentity.IsValidPublicId(remoteId, out var idProblem))
        {
            problem = "--remote-id: " + idProblem;
            return false;
        }

        try
        {
            security = MultipathSecurity.Tls(MultipathIdentity.Load(keyFile), serverId: remoteId);
        }
        catch (CredentialException e)
        {
            problem = e.Message;
            return false;
        }

        problem = null;
        return true;
    }
}
