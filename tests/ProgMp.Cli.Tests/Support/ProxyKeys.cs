namespace ProgMp.Cli.Tests.Support;

/// <summary>
/// Credentials for a proxy pair, made as an operator makes them: <c>progmp key create</c> for each side,
/// the local proxy's line in the remote's authorized clients file, the remote's id for the local.
/// </summary>
internal sealed class ProxyKeys : IDisposable
{
    private readonly TemporaryDirectory _directory;

    private ProxyKeys(TemporaryDirectory directory, string remoteKey, string remoteId, string localKey, string localId, string authorized)
    {
        _directory = directory;
        RemoteKey = remoteKey;
        RemoteId = remoteId;
        LocalKey = localKey;
        LocalId = localId;
        AuthorizedClients = authorized;
    }

    public string RemoteKey { get; }

    public string RemoteId { get; }

    public string LocalKey { get; }

    public string LocalId { get; }

    public string AuthorizedClients { get; }

    /// <summary>The remote proxy's credential flags.</summary>
    public string[] Remote => ["--key", RemoteKey, "--authorized-clients", AuthorizedClients];

    /// <summary>The local proxy's credential flags.</summary>
    public string[] Local => ["--key", LocalKey, "--remote-id", RemoteId];

    public static async Task<ProxyKeys> CreateAsync()
    {
        var directory = new TemporaryDirectory();
        try
        {
            var remoteKey = Path.Combine(directory.Path, "remote.key");
            var localKey = Path.Combine(directory.Path, "local.key");
            var (remoteId, _) = await CreateKeyAsync(remoteKey, "remote");
            var (localId, authorizedLine) = await CreateKeyAsync(localKey, "local");
            var authorized = directory.Write("authorized_clients", $"# made by the test\n{authorizedLine}\n");
            return new ProxyKeys(directory, remoteKey, remoteId, localKey, localId, authorized);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Runs <c>progmp key create</c> and reads back the public id and the authorized clients line it prints.</summary>
    public static async Task<(string PublicId, string AuthorizedLine)> CreateKeyAsync(string path, string name)
    {
        var result = await ProgmpProcess.RunAsync(["key", "create", path, "--name", name]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("progmp key create failed:\n" + result);
        }

        var lines = result.Output.Split('\n');
        var id = lines.Single(l => l.StartsWith("public id: ", StringComparison.Ordinal))["public id: ".Length..].Trim();
        var authorizedLine = lines.Single(l => l.Trim().StartsWith(id + " ", StringComparison.Ordinal)).Trim();
        return (id, authorizedLine);
    }

    public void Dispose() => _directory.Dispose();
}
