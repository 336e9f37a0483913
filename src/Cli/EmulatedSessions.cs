using ProgMp.Engine;

namespace ProgMp.Cli;

/// <summary>What the demo and compare do alike to run a session over emulated paths on loopback.</summary>
internal static class EmulatedSessions
{
    /// <summary>The client's backoff on a failed path, capped so that a path comes back within a short phase or scenario.</summary>
    public static readonly TimeSpan ReconnectMaxDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A quarter second of the paths' summed rate, from 256 KiB to 4 MiB and at least four packets: far
    /// above the paths' bandwidth-delay products, so no path starves, yet small enough that the end
    /// drains quickly and a swap or an event shows at once.
    /// </summary>
    public static int SendBufferLimit(double summedRateMbitPerSecond, int packetSize)
    {
        var quarterSecond = summedRateMbitPerSecond * 1e6 / 8 / 4;
        return Math.Max((int)Math.Clamp(quarterSecond, 256 * 1024, 4 * 1024 * 1024), 4 * packetSize);
    }

    /// <summary>Waits until the client has <paramref name="paths"/> active subflows.</summary>
    public static async Task WaitForEveryPathAsync(MultipathSession client, int paths, CancellationToken cancellationToken)
    {
        while (client.GetStatistics().Subflows.Count(s => s.State == SubflowState.Active) < paths)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }
}
