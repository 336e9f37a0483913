namespace ProgMp.Engine.Benchmarks;

/// <summary>The harness's <c>--security</c>: which protections a run measures, and the options of each side for one.</summary>
internal static class BenchSecurity
{
    /// <summary>The runs <paramref name="choice"/> asks for: <c>tls</c>, <c>plaintext</c> or <c>both</c> (TLS first).</summary>
    public static IReadOnlyList<bool> Runs(string choice) => choice switch
    {
        "tls" => [true],
        "plaintext" => [false],
        "both" => [true, false],
        _ => throw new ArgumentException($"--security '{choice}': expected tls, plaintext or both"),
    };

    public static string Name(bool tls) => tls ? "TLS" : "plaintext";

    /// <summary>A server's and a client's security, each with an identity of its own made for this run.</summary>
    public static (MultipathSecurity Server, MultipathSecurity Client) Create(bool tls)
    {
        if (!tls)
        {
            return (MultipathSecurity.InsecurePlaintext, MultipathSecurity.InsecurePlaintext);
        }

        var server = MultipathIdentity.Create("bench-server");
        var client = MultipathIdentity.Create("bench-client");
        return (MultipathSecurity.Tls(server, authorizedClients: AuthorizedClients.FromLines([client.PublicId])), MultipathSecurity.Tls(client, serverId: server.PublicId));
    }
}
