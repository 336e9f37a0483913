using System.Net;
using ProgMp.Emulation;

namespace ProgMp.Cli.Demo;

/// <summary>
/// The demo's paths: one <see cref="PathEmulator"/> per path on loopback, each relaying to the
/// listener, so the client's path i is "the network behind emulator i".
/// </summary>
internal sealed class EmulatedNetwork : IAsyncDisposable
{
    private readonly List<PathEmulator> _emulators = [];

    private EmulatedNetwork()
    {
    }

    /// <summary>Where the client's paths connect, in the order of the specs.</summary>
    public IReadOnlyList<IPEndPoint> Entrances => _emulators.Select(e => e.LocalEndPoint).ToList();

    public static async Task<EmulatedNetwork> StartAsync(IReadOnlyList<EmulatedPathSpec> specs, IPEndPoint target)
    {
        var network = new EmulatedNetwork();
        try
        {
            foreach (var spec in specs)
            {
                var profile = new PathProfile(TimeSpan.FromMilliseconds(spec.OneWayDelayMilliseconds), spec.RateMbitPerSecond);
                network._emulators.Add(PathEmulator.Start(new IPEndPoint(IPAddress.Loopback, 0), target, profile));
            }

            return network;
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Resets every connection of path <paramref name="index"/> and every new one until <see cref="Restore"/>.</summary>
    public void Fail(int index) => _emulators[index].Fail(PathFailureMode.Reset);

    public void Restore(int index) => _emulators[index].Restore();

    public IReadOnlyList<bool> FailedPaths() => _emulators.Select(e => e.Failure is not null).ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var emulator in _emulators)
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
        }

        _emulators.Clear();
    }
}
