using Microsoft.Extensions.Hosting;

namespace ProgMp.Proxy.Control;

/// <summary>
/// A host lifetime that does nothing. The default one (ConsoleLifetime) takes SIGINT and SIGTERM for
/// itself and would stop only the endpoint, swallowing the Ctrl+C that the engine's host handles.
/// </summary>
internal sealed class QuietHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
