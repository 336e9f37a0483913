using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ProgMp.Proxy.Control;

namespace ProgMp.Cli.Control;

/// <summary>
/// The control endpoint's client: one request per call, the token on every one, and every way a request
/// can fail turned into a <see cref="CtlException"/> with a one-line reason.
/// </summary>
internal sealed partial class ControlClient : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly string _base;

    public ControlClient(Uri endpoint, string token)
    {
        _base = endpoint.ToString().TrimEnd('/');
        // No HTTP proxy from the environment: the bearer token goes to the endpoint and nowhere else.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = s_timeout };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The endpoint's base URL as given, with <c>http://</c> when it has no scheme.</summary>
    public static Uri ParseUrl(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw CtlException.Usage("the control endpoint's URL is missing: progmp ctl URL VERB");
        }

        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (PortPattern().Match(withScheme) is { Success: true } port
            && (!int.TryParse(port.Groups[1].ValueSpan, out var number) || number is < 1 or > 65535))
        {
            throw CtlException.Usage($"'{text}': port {port.Groups[1].Value} is out of range (1-65535)");
        }

        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0)
        {
            throw CtlException.Usage($"'{text}' is not a control endpoint URL (like http://127.0.0.1:7070)");
        }

        return uri;
    }

    /// <summary>Sends one request and reads the reply as <typeparamref name="TReply"/>.</summary>
    public async Task<TReply> SendAsync<TReply>(HttpMethod method, string path, JsonTypeInfo<TReply> reply, HttpContent? body, CancellationToken cancellationToken)
    {
        var text = await SendForTextAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(text, reply) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw CtlException.Failed($"the endpoint's answer to {method} {path} is not what progmp ctl understands: {e.Message}");
        }
    }

    public static HttpContent Json<T>(T value, JsonTypeInfo<T> type) => JsonContent.Create(value, type);

    /// <summary>Sends one request and returns the reply's text; a refusal becomes a <see cref="CtlException"/>.</summary>
    public async Task<string> SendForTextAsync(HttpMethod method, string path, HttpContent? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, _base + path) { Content = body };

        // With a body, wait for 100-continue: a refusal (a program over the size limit) then arrives
        // as the endpoint's answer instead of a broken pipe halfway through the upload.
        request.Headers.ExpectContinue = body is not null;
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw CtlException.Failed($"cannot reach the control endpoint at {_base}: {Describe(e)}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw CtlException.Failed($"the control endpoint at {_base} did not answer within {s_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return text;
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw CtlException.Failed("the endpoint refused the token");
            }

            ErrorReply? error = null;
            try
            {
                error = JsonSerializer.Deserialize(text, ControlJsonContext.Messages.ErrorReply);
            }
            catch (JsonException)
            {
                // Not the endpoint's JSON (a proxy in between, another server): say what came back instead.
            }

            var status = (int)response.StatusCode;
            throw error is { Error: { Length: > 0 } reason }
                ? new CtlException(ProgMpCommand.ExitProgramErrors, reason, error.Diagnostics)
                : CtlException.Failed($"the endpoint answered {status} {response.ReasonPhrase}");
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Describe(HttpRequestException e) => e.InnerException switch
    {
        SocketException socket => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused (is the engine running with its control endpoint there?)",
            SocketError.HostNotFound or SocketError.NoData => "no such host",
            _ => socket.Message,
        },
        { } inner => inner.Message,
        null => e.Message,
    };

    /// <summary>The port of an http(s) URL's authority: digits after the host (or after an IPv6 address in brackets).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*://(?:\[[^\]]*\]|[^/:\[\]]*):([0-9]+)(?:/|$)")]
    private static partial System.Text.RegularExpressions.Regex PortPattern();
}
