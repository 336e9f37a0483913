namespace ProgMp.Engine.Sessions;

/// <summary>Who set a session up, as its TLS certificate proved: the public id and the name the authorized clients file gives it.</summary>
internal sealed record ClientIdentity(string? Id, string Name)
{
    /// <summary>A plaintext session's client: no one in particular.</summary>
    public static readonly ClientIdentity Anonymous = new(null, "");
}
