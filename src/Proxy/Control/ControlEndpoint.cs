using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ProgMp.Proxy.Control;

/// <summary>
/// The authenticated control endpoint: HTTP and JSON on one address (ProgMP's /proc and socket options,
/// MPP's controller), served by Kestrel. Every request must carry <c>Authorization: Bearer TOKEN</c>;
/// anything else gets 401 and changes nothing. Routes and messages: docs/control.md.
/// </summary>
internal sealed class ControlEndpoint : IAsyncDisposable
{
    /// <summary>The largest request body taken: a scheduler's text in JSON, with room to spare.</summary>
    public const long MaxRequestBodyBytes = 32 * 1024 * 1024;

    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly ILogger _logger;
    private int _disposed;

    private ControlEndpoint(WebApplication app, IPEndPoint localEndPoint, ILogger logger)
    {
        _app = app;
        LocalEndPoint = localEndPoint;
        _logger = logger;
    }

    /// <summary>The bound address (with the port the system chose for port 0).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Binds <paramref name="endpoint"/> and serves the control routes for <paramref name="target"/>.</summary>
    /// <exception cref="ArgumentException">The token is empty or not printable ASCII.</exception>
    /// <exception cref="IOException">The address cannot be bound.</exception>
    public static async Task<ControlEndpoint> StartAsync(IPEndPoint endpoint, string token, ControlTarget target, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var expected = new ControlToken(token);
        var logger = loggerFactory.CreateLogger("ProgMp.Proxy.Control");

        // The empty builder reads no configuration, environment or appsettings: the host decides everything.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "ProgMp.Control" });
        ListenOptions? listen = null;
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;

            // A slowloris client (headers or body a byte at a time, or nothing at all) is cut off; Kestrel
            // waits for all of these without a thread, and checks them about once a second.
            var limits = target.Limits;
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyBytesPerSecond, limits.RequestBodyGracePeriod);
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = 0;
            kestrel.Listen(endpoint, options => listen = options);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        var app = builder.Build();

        var api = new ControlApi(target, logger);
        app.Use((context, next) => HandleAsync(context, next, expected, logger));
        api.Map(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"The control endpoint cannot listen on {endpoint}: {e.Message}", e);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = listen?.IPEndPoint ?? endpoint;
        ControlLog.Listening(logger, target.Role, bound.ToString());
        return new ControlEndpoint(app, bound, logger);
    }

    /// <summary>
    /// Around every route: the token first, then the operation, with refusals turned into JSON errors
    /// and routes that do not exist answered in JSON too.
    /// </summary>
    private static async Task HandleAsync(HttpContext context, RequestDelegate next, ControlToken expected, ILogger logger)
    {
        var request = context.Request;
        var headers = request.Headers.Authorization;
        if (headers.Count != 1 || !expected.Accepts(headers[0]))
        {
            var reason = headers.Count == 0 ? "no bearer token" : "wrong bearer token";
            ControlLog.Refused(logger, request.Method, request.Path, ControlApi.Remote(context), reason);
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, new ErrorReply($"{reason}: the endpoint wants 'Authorization: Bearer TOKEN'")).ConfigureAwait(false);
            return;
        }

        try
        {
            await next(context).ConfigureAwait(false);
            if (!context.Response.HasStarted && context.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
            {
                var what = context.Response.StatusCode == StatusCodes.Status404NotFound ? "no such route" : "method not allowed";
                await WriteErrorAsync(context, context.Response.StatusCode, new ErrorReply($"{what}: {request.Method} {request.Path}")).ConfigureAwait(false);
            }
        }
        catch (ControlException e)
        {
            ControlLog.Failed(logger, request.Method, request.Path, ControlApi.Remote(context), e.StatusCode, e.Message);
            await WriteErrorAsync(context, e.StatusCode, new ErrorReply(e.Message, e.Diagnostics)).ConfigureAwait(false);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            // Kestrel's own refusals: a body over the limit (413), a body cut short (400).
            ControlLog.Failed(logger, request.Method, request.Path, ControlApi.Remote(context), e.StatusCode, e.Message);
            await WriteErrorAsync(context, e.StatusCode, new ErrorReply(e.Message)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            ControlLog.Unexpected(logger, request.Method, request.Path, e);
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, new ErrorReply($"the operation failed: {e.Message}")).ConfigureAwait(false);
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, int statusCode, ErrorReply error)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = statusCode;
        await context.Response.WriteAsJsonAsync(error, ControlJsonContext.Messages.ErrorReply, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Stops listening; requests under way get a few seconds to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using (var timeout = new CancellationTokenSource(s_stopTimeout))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        ControlLog.Stopped(_logger, LocalEndPoint.ToString());
    }
}
