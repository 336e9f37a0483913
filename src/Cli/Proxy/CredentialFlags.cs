namespace ProgMp.Cli.Proxy;

/// <summary>A proxy verb's credential flags as given: <c>--key</c>, the peer's part (<c>--authorized-clients</c> or <c>--remote-id</c>) and <c>--insecure-plaintext</c>.</summary>
internal sealed record CredentialFlags(string? Key, string? Peer, bool Insecure);
