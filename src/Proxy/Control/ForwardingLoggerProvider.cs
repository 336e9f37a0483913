using Microsoft.Extensions.Logging;

namespace ProgMp.Proxy.Control;

/// <summary>
/// Hands ASP.NET Core's own loggers to the host's <see cref="ILoggerFactory"/>, so the web stack logs
/// where the engine logs (and never to a console of its own). The host owns the factory: disposing the
/// provider leaves it alone.
/// </summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory factory) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
