using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ProgMp.Engine.Sessions;
using ProgMp.Engine.Subflows;

namespace ProgMp.Engine.Security;

/// <summary>
/// Turns a connected socket into a subflow's transport: TLS 1.3 with a certificate on each side, or the
/// plain socket stream when the security is <see cref="MultipathSecurity.InsecurePlaintext"/>. The TLS
/// handshake comes before any frame, so setup keys and join MACs only ever travel encrypted.
/// </summary>
/// <remarks>
/// Nothing here trusts a certificate authority: the server takes any certificate whose holder proves
/// its key (TLS 1.3 CertificateVerify) and the listener then looks its public id up in the authorized
/// clients; the client accepts only the server whose public id it pins. Session resumption is off on
/// both sides, so every subflow presents and proves its certificate again.
/// </remarks>
internal static class SubflowTls
{
    /// <summary>The server's side; a refused or failed handshake throws <see cref="HandshakeException"/> (with <see cref="ResourceLimit.Unauthenticated"/> when the client showed no certificate).</summary>
    public static async Task<SubflowTransport> AcceptAsync(Socket socket, MultipathSecurity security, CancellationToken cancellationToken)
    {
        var network = new NetworkStream(socket, ownsSocket: false);
        if (security.Identity is not { } identity)
        {
            return new SubflowTransport(socket, network, peerId: null);
        }

        string? clientId = null;
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = identity.Context,
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowTlsResume = false,
            AllowRenegotiation = false,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                clientId = certificate is X509Certificate2 presented ? PublicId.Of(presented) : null;
                return clientId is not null;
            },
        };
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            var noCertificate = e is AuthenticationException && clientId is null;
            throw new HandshakeException(noCertificate ? "the client presented no certificate" : "TLS handshake failed: " + e.Message)
            {
                Limit = noCertificate ? ResourceLimit.Unauthenticated : null,
            };
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new SubflowTransport(socket, tls, clientId);
    }

    /// <summary>The client's side: refuses (with <see cref="HandshakeException"/>) a server that is not the pinned one.</summary>
    public static async Task<SubflowTransport> ConnectAsync(Socket socket, MultipathSecurity security, CancellationToken cancellationToken)
    {
        var network = new NetworkStream(socket, ownsSocket: false);
        if (security.Identity is not { } identity)
        {
            return new SubflowTransport(socket, network, peerId: null);
        }

        var pinned = security.ServerId!;
        string? serverId = null;
        var options = new SslClientAuthenticationOptions
        {
            // No server name: the pin names the server, and SNI would tell every observer what it is.
            TargetHost = "",
            ClientCertificateContext = identity.Context,
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowTlsResume = false,
            AllowRenegotiation = false,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                serverId = certificate is X509Certificate2 presented ? PublicId.Of(presented) : null;
                return string.Equals(serverId, pinned, StringComparison.Ordinal);
            },
        };
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new HandshakeException(serverId is not null && serverId != pinned
                ? $"the server is {serverId}, not the pinned {pinned}: refused"
                : "TLS handshake with the server failed: " + e.Message);
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new SubflowTransport(socket, tls, serverId);
    }
}
