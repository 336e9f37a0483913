using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProgMp.Engine.Sessions;

namespace ProgMp.Engine;

/// <summary>Opens multipath sessions to a <see cref="MultipathListener"/>.</summary>
public static class MultipathClient
{
    /// <summary>
    /// Sets up a session over the first path that answers and joins the others; a path that fails is
    /// opened again with backoff for as long as the session lives.
    /// </summary>
    /// <exception cref="IOException">No path could set the session up.</exception>
    public static async Task<MultipathSession> ConnectAsync(
        IEnumerable<MultipathPath> paths,
        MultipathOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        options ??= new MultipathOptions();
        options.Validate();
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ProgMp.Engine");
        var connector = await ClientConnector.ConnectAsync(paths.ToList(), options, logger, cancellationToken).ConfigureAwait(false);
        return new MultipathSession(connector.Session, connector);
    }
}
