using ProgMp.Emulation;

namespace ProgMp.Engine.Tests.Support;

/// <summary>A session whose paths each run through their own <see cref="PathEmulator"/>: delay, rate and faults per path.</summary>
internal sealed class EmulatedSession : IAsyncDisposable
{
    private EmulatedSession(SessionPair pair, IReadOnlyList<PathEmulator> paths)
    {
        Pair = pair;
        Paths = paths;
    }

    public SessionPair Pair { get; }

    /// <summary>Path i of the client (its path id) runs through <c>Paths[i]</c>.</summary>
    public IReadOnlyList<PathEmulator> Paths { get; }

    public MultipathSession Client => Pair.Client;

    public MultipathSession Server => Pair.Server;

    public static async Task<EmulatedSession> StartAsync(MultipathOptions options, IReadOnlyList<PathProfile> profiles, CancellationToken cancellationToken)
    {
        var listener = EngineTestKit.StartListener(options);
        var target = listener.LocalEndPoints[0];
        var emulators = profiles.Select(p => PathEmulator.Start(SessionPair.Loopback(0), target, p)).ToList();
        var pair = await SessionPair.StartAsync(listener, emulators.Select(e => new MultipathPath(e.LocalEndPoint)).ToList(), options, cancellationToken);
        return new EmulatedSession(pair, emulators);
    }

    public static PathProfile Path(double mbit, double delayMs) => new(TimeSpan.FromMilliseconds(delayMs), mbit);

    /// <summary>Payload bytes the client's subflows on path <paramref name="pathId"/> sent, over every subflow the path has had that is still open.</summary>
    public long ClientBytesOnPath(int pathId) =>
        Client.GetStatistics().Subflows.Where(s => s.PathId == pathId).Sum(s => s.BytesSent);

    public async ValueTask DisposeAsync()
    {
        await Pair.DisposeAsync();
        foreach (var emulator in Paths)
        {
            await emulator.DisposeAsync();
        }
    }
}
