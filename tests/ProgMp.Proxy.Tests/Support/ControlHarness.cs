using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using ProgMp.Engine;
using ProgMp.Engine.Tests.Support;
using ProgMp.Proxy.Control;

namespace ProgMp.Proxy.Tests.Support;

/// <summary>
/// A session pair on loopback with a control endpoint over one side of it, and an HTTP client that
/// carries the endpoint's token. Shared with the CLI tests, which point the real <c>progmp ctl</c> at it.
/// </summary>
internal sealed class ControlHarness : IAsyncDisposable
{
    public const string Token = "test-token-0123456789";

    private readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ControlHarness(SessionPair pair, MultipathOptions options)
    {
        Pair = pair;
        Options = options;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public SessionPair Pair { get; }

    public MultipathOptions Options { get; }

    public ControlEndpoint Endpoint { get; private set; } = null!;

    public HttpClient Http { get; }

    public string Url => $"http://{Endpoint.LocalEndPoint}";

    /// <summary>Completes when the endpoint asked the host to shut down.</summary>
    public Task ShutdownRequested => _shutdown.Task;

    /// <summary>The session as the endpoint sees it: the client's side, or the server's when <see cref="ServerSide"/>.</summary>
    public MultipathSession Session => ServerSide ? Pair.Server : Pair.Client;

    public bool ServerSide { get; private init; }

    public static async Task<ControlHarness> StartAsync(int paths, string scheduler, CancellationToken cancellationToken, bool serverSide = false, bool offerShutdown = true)
    {
        var options = EngineTestKit.Options(scheduler);
        var pair = await SessionPair.StartAsync(paths, options, cancellationToken);
        var harness = new ControlHarness(pair, options) { ServerSide = serverSide };
        try
        {
            var target = new ControlTarget
            {
                Options = options,
                Sessions = serverSide ? () => pair.Listener.Sessions : () => [pair.Client],
                Shutdown = offerShutdown ? () => harness._shutdown.TrySetResult() : null,
                Role = "test",
            };
            harness.Endpoint = await ControlEndpoint.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), Token, target, new TestLoggerFactory(), cancellationToken);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    /// <summary>One request with <paramref name="token"/> (null: no Authorization header) and an optional JSON body.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, string? token = Token, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, Url + path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await Http.SendAsync(request, cancellationToken);
    }

    /// <summary>A request that must answer <paramref name="status"/>; its body as <typeparamref name="T"/>.</summary>
    public async Task<T> ExpectAsync<T>(HttpStatusCode status, JsonTypeInfo<T> type, HttpMethod method, string path, string? json = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(method, path, json, cancellationToken: cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.That(response.StatusCode, Is.EqualTo(status), $"{method} {path}: {text}");
        return System.Text.Json.JsonSerializer.Deserialize(text, type) ?? throw new InvalidOperationException($"{method} {path} answered null");
    }

    /// <summary>A request that must fail with <paramref name="status"/>; the reason it gives.</summary>
    public async Task<ErrorReply> ExpectErrorAsync(HttpStatusCode status, HttpMethod method, string path, string? json = null, string? token = Token, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(method, path, json, token, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.That(response.StatusCode, Is.EqualTo(status), $"{method} {path}: {text}");
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
        var error = System.Text.Json.JsonSerializer.Deserialize(text, ControlJsonContext.Messages.ErrorReply);
        Assert.That(error?.Error, Is.Not.Null.And.Not.Empty, text);
        return error!;
    }

    public Task<SessionReport> SessionReportAsync(CancellationToken cancellationToken) =>
        ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.SessionReport, HttpMethod.Get, "/sessions/" + Session.Id, cancellationToken: cancellationToken);

    /// <summary>Writes <paramref name="bytes"/> more, waits until they are acknowledged, and returns what each client subflow sent meanwhile.</summary>
    public async Task<Dictionary<long, long>> SendPhaseAsync(MultipathStream stream, List<byte[]> sent, int bytes, CancellationToken cancellationToken)
    {
        var before = Pair.ClientBytesSent();
        var data = EngineTestKit.Bytes(bytes, sent.Count + 200);
        sent.Add(data);
        await stream.WriteAsync(data, cancellationToken);
        await stream.WaitForAcknowledgementAsync(cancellationToken);
        return Pair.ClientBytesSent().ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key));
    }

    public async ValueTask DisposeAsync()
    {
        if (Endpoint is not null)
        {
            await Endpoint.DisposeAsync();
        }

        Http.Dispose();
        await Pair.DisposeAsync();
    }
}
