namespace ProgMp.Cli.Compare;

/// <summary>
/// A path of a scenario: its name, each direction's link (out: client to server, in: server to client),
/// whether it is a backup, and whether it joins only when an <c>add</c> event says so.
/// </summary>
internal sealed record ScenarioPath(string Name, LinkSettings Out, LinkSettings In, bool Backup, bool Later, int Line);
