using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;

namespace ProgMp.Engine.Tests.Support;

/// <summary>
/// A listener with an identity of its own and an authorized clients file on disk, and the options a
/// client needs to reach it as one of those clients, or as anyone else: the cast of the security tests.
/// </summary>
internal sealed class SecureSetup : IAsyncDisposable
{
    private readonly string _directory;

    private SecureSetup(string directory, MultipathIdentity server, string authorizedFile, MultipathListener listener)
    {
        _directory = directory;
        Server = server;
        AuthorizedFile = authorizedFile;
        Listener = listener;
    }

    public MultipathIdentity Server { get; }

    public string AuthorizedFile { get; }

    public MultipathListener Listener { get; }

    public IPEndPoint EndPoint => Listener.LocalEndPoints[0];

    public MultipathLimits Limits => Listener.Options.Limits;

    /// <summary>Starts a listener that admits <paramref name="authorized"/>, with the given handshake timeout and limits.</summary>
    public static SecureSetup Start(IEnumerable<MultipathIdentity> authorized, TimeSpan? handshakeTimeout = null, MultipathLimits? limits = null)
    {
        var directory = Directory.CreateTempSubdirectory("progmp-secure-").FullName;
        var server = MultipathIdentity.Create("server");
        var file = Path.Combine(directory, "authorized_clients");
        File.WriteAllLines(file, authorized.Select(c => $"{c.PublicId} {c.Name}"));
        var options = new MultipathOptions
        {
            Registry = EngineTestKit.LoadLibrary(),
            Security = MultipathSecurity.Tls(server, authorizedClients: AuthorizedClients.Load(file)),
            HandshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(10),
            Limits = limits ?? new MultipathLimits(),
        };
        var listener = new MultipathListener([new IPEndPoint(IPAddress.Loopback, 0)], options, new TestLoggerFactory());
        listener.Start();
        return new SecureSetup(directory, server, file, listener);
    }

    /// <summary>Options of a client with <paramref name="identity"/> that pins <paramref name="serverId"/> (this listener's by default).</summary>
    public MultipathOptions ClientOptions(MultipathIdentity identity, string? serverId = null) => new()
    {
        Registry = Listener.Options.Registry,
        Security = MultipathSecurity.Tls(identity, serverId: serverId ?? Server.PublicId),
    };

    public Task<MultipathSession> ConnectAsync(MultipathIdentity identity, CancellationToken cancellationToken, int paths = 1) =>
        MultipathClient.ConnectAsync(Enumerable.Repeat(new MultipathPath(EndPoint), paths), ClientOptions(identity), new TestLoggerFactory(), cancellationToken);

    /// <summary>The sessions set up with this listener (the server's side of a client's session, by id).</summary>
    public async Task<MultipathSession> ServerSideAsync(MultipathSession client, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Listener.Sessions.FirstOrDefault(s => s.Id == client.Id) is { } server)
            {
                return server;
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>Sends 1 MB from <paramref name="client"/> to its server side and says whether it arrived whole.</summary>
    public async Task<bool> TransferArrivesWholeAsync(MultipathSession client, CancellationToken cancellationToken)
    {
        var server = await ServerSideAsync(client, cancellationToken);
        var stream = client.OpenStream();
        var accepted = await server.AcceptStreamAsync(cancellationToken);
        var data = EngineTestKit.Bytes(1_000_000, 42);
        var reader = EngineTestKit.ReceiveAllAsync(accepted, cancellationToken);
        await EngineTestKit.SendAllAsync(stream, data, cancellationToken);
        var (hash, length) = await reader;
        return length == data.Length && hash.AsSpan().SequenceEqual(SHA256.HashData(data));
    }

    /// <summary>Rewrites the authorized clients file with <paramref name="authorized"/> only.</summary>
    /// <remarks>Written beside it and renamed over it, as docs/proxy.md asks of operators: a file rewritten in place can be read half-written (empty: nobody admitted).</remarks>
    public void Authorize(IEnumerable<MultipathIdentity> authorized)
    {
        var next = AuthorizedFile + ".next";
        File.WriteAllLines(next, authorized.Select(c => $"{c.PublicId} {c.Name}"));
        File.Move(next, AuthorizedFile, overwrite: true);
    }

    /// <summary>A TLS client with no certificate at all: how far does it get?</summary>
    public async Task<SslStream?> ConnectWithoutCertificateAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(EndPoint, cancellationToken);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = "", EnabledSslProtocols = SslProtocols.Tls13, RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null },
                cancellationToken);
            return tls;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await tls.DisposeAsync();
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
