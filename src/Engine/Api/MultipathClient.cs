using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProgMp.Engine.Logging;
using ProgMp.Engine.Sessions;

namespace ProgMp.Engine;

/// <summary>Opens multipath sessions to a <see cref="MultipathListener"/>.</summary>
public static class MultipathClient
{
    /// <summary>
    /// Sets up a session over the first path that answers and joins the others; a path that fails is
    /// opened again with backoff for as long as the session lives.
    /// </summary>
    /// <exception cref="IOException">No path could set the session up (the message says why for each path: refused, not the pinned server, no answer).</exception>
    /// <exception cref="ArgumentException"><see cref="MultipathOptions.Security"/> is not set, or has no server id to pin; <see cref="MultipathOptions.Registry"/> does not hold <see cref="MultipathOptions.DefaultScheduler"/>.</exception>
    public static async Task<MultipathSession> ConnectAsync(
        IEnumerable<MultipathPath> paths,
        MultipathOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        options ??= new MultipathOptions();
        options.Validate();
        var security = MultipathSecurity.ForClient(options);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ProgMp.Engine");
        if (security.IsPlaintext)
        {
            SecurityLog.InsecurePlaintext(logger, "client");
        }

        var connector = await ClientConnector.ConnectAsync(paths.ToList(), options, logger, cancellationToken).ConfigureAwait(false);
        return new MultipathSession(connector.Session, connector);
    }
}
