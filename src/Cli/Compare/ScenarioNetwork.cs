using System.Net;
using ProgMp.Emulation;

namespace ProgMp.Cli.Compare;

/// <summary>
/// A scenario's paths on loopback: one <see cref="PathEmulator"/> per path, relaying to the listener,
/// with the path's out profile towards the server and its in profile back. Paths declared
/// <c>later</c> have their emulator from the start; the client connects to it when the path is added.
/// </summary>
internal sealed class ScenarioNetwork : IAsyncDisposable
{
    private readonly Dictionary<string, PathEmulator> _emulators = new(StringComparer.Ordinal);
    private readonly HashSet<string> _backup = new(StringComparer.Ordinal);

    private ScenarioNetwork()
    {
    }

    public static async Task<ScenarioNetwork> StartAsync(IReadOnlyList<ScenarioPath> paths, IPEndPoint target)
    {
        var network = new ScenarioNetwork();
        try
        {
            foreach (var path in paths)
            {
                var emulator = PathEmulator.Start(new IPEndPoint(IPAddress.Loopback, 0), target, path.Out.ToProfile());
                network._emulators[path.Name] = emulator;
                if (path.Backup)
                {
                    network._backup.Add(path.Name);
                }
                emulator.SetProfile(PathDirection.ToClient, path.In.ToProfile());
            }

            return network;
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Where the client connects for path <paramref name="name"/>.</summary>
    public IPEndPoint Entrance(string name) => _emulators[name].LocalEndPoint;

    /// <summary>Bytes every emulator relayed, both ways: the traffic on the wire, headers, acknowledgements and copies included.</summary>
    public long WireBytes => _emulators.Values.Sum(e => e.BytesToTarget + e.BytesToClient);

    /// <summary>Of <see cref="WireBytes"/>, those on paths declared backup (the metered, costly ones); null when there are none.</summary>
    public long? BackupWireBytes => _backup.Count == 0 ? null : _backup.Sum(name => _emulators[name].BytesToTarget + _emulators[name].BytesToClient);

    /// <summary>Carries out a change, reset, blackhole or restore; adding and removing are the client's.</summary>
    public void Apply(ScenarioEvent e)
    {
        var emulator = _emulators[e.Path];
        switch (e.Kind)
        {
            case ScenarioEventKind.Reset:
                emulator.Fail(PathFailureMode.Reset);
                break;
            case ScenarioEventKind.Blackhole:
                emulator.Fail(PathFailureMode.Blackhole);
                break;
            case ScenarioEventKind.Restore:
                emulator.Restore();
                break;
            case ScenarioEventKind.Change:
                Change(emulator, PathDirection.ToTarget, e.RateOut, e.DelayOut, e.QueueBytes);
                Change(emulator, PathDirection.ToClient, e.RateIn, e.DelayIn, e.QueueBytes);
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var emulator in _emulators.Values)
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
        }

        _emulators.Clear();
    }

    private static void Change(PathEmulator emulator, PathDirection direction, double? rate, TimeSpan? delay, long? queue)
    {
        if (rate is null && delay is null && queue is null)
        {
            return;
        }

        var now = emulator.GetProfile(direction);
        emulator.SetProfile(direction, now with
        {
            RateMbitPerSecond = rate ?? now.RateMbitPerSecond,
            OneWayDelay = delay ?? now.OneWayDelay,
            QueueLimitBytes = queue is { } bytes ? (int)bytes : now.QueueLimitBytes,
        });
    }
}
