using System.Net;
using System.Text.RegularExpressions;

namespace ProgMp.Cli.Tests.Support;

/// <summary>
/// What the long-running verbs say once they are ready: the proxies' <c>listening on ...</c> line on
/// standard output and emulate-path's log line naming the port it listens on.
/// </summary>
internal static partial class ReadyLines
{
    private const string ControlPrefix = "control ";

    /// <summary>
    /// The listening endpoints of a proxy's ready line, in order, without the control endpoint:
    /// <c>listening on A, B</c> or <c>listening on socks A, forward B=C, control http://D</c>.
    /// </summary>
    public static List<IPEndPoint> ProxyEndPoints(string line) =>
        Parts(line)
            .Where(part => !part.StartsWith(ControlPrefix, StringComparison.Ordinal))
            .Select(part => part.Split(' ')[^1].Split('=')[0])
            .Select(IPEndPoint.Parse)
            .ToList();

    /// <summary>The control endpoint's URL in a proxy's ready line (<c>control http://127.0.0.1:PORT</c>), or null.</summary>
    public static string? ControlUrl(string line) =>
        Parts(line).Where(part => part.StartsWith(ControlPrefix, StringComparison.Ordinal)).Select(part => part[ControlPrefix.Length..]).SingleOrDefault();

    /// <summary>Waits for emulate-path's "listening on ADDR:PORT," log line and returns that endpoint.</summary>
    public static async Task<IPEndPoint> EmulatorEndPointAsync(RunningProgmp emulator, CancellationToken cancellationToken)
    {
        var line = await emulator.WaitForLineAsync(line => EmulatorListening().IsMatch(line), cancellationToken);
        return IPEndPoint.Parse(EmulatorListening().Match(line).Groups["endpoint"].Value);
    }

    private static string[] Parts(string line)
    {
        const string Prefix = "listening on ";
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new FormatException($"Not a ready line: '{line}'.");
        }

        return line[Prefix.Length..].Split(", ");
    }

    [GeneratedRegex(@"listening on (?<endpoint>\S+),")]
    private static partial Regex EmulatorListening();
}
