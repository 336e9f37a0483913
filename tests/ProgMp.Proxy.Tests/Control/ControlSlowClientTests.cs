using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ProgMp.Proxy.Control;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Proxy.Tests.Control;

/// <summary>
/// Slowloris on the control endpoint: headers that never end, a body a byte a second, more
/// connections than the endpoint holds. Each is cut off by its limit; a well-behaved request
/// beside them is still answered.
/// </summary>
[CancelAfter(120_000)]
public class ControlSlowClientTests
{
    private const string Token = "slow-client-token-0123456789";
    private static readonly TimeSpan s_headersTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_bodyGrace = TimeSpan.FromSeconds(2);

    // Kestrel's own defaults would wait 130 s for a first byte and 30 s for headers, and take a body at
    // 240 bytes/s: each client
    // below gets past those, and is dropped only by the endpoint's limits, well within this.
    private static readonly TimeSpan s_dropWithin = TimeSpan.FromSeconds(20);

    private static IEnumerable<TestCaseData> SlowRequests()
    {
        yield return new TestCaseData("", 0, 0).SetName("A control client that connects and sends nothing is dropped after the idle timeout");
        yield return new TestCaseData("GET /health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Token, 1, 1000)
            .SetName("A control client that sends its headers a byte a second is dropped after the headers timeout");
        yield return new TestCaseData($"POST /schedulers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {Token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{\"text\": \"{new string(' ', 99_000)}", 64, 100)
            .SetName("A control client that sends its body slower than the least rate is cut off after the grace period");
    }

    [TestCaseSource(nameof(SlowRequests))]
    public async Task A_slow_client_is_dropped_and_others_are_still_served(string request, int chunk, int intervalMs, CancellationToken cancellationToken)
    {
        await using var endpoint = await StartAsync(maxConnections: 8, cancellationToken);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(endpoint.LocalEndPoint, cancellationToken);
        var started = Stopwatch.StartNew();
        using var stopTrickle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sending = TrickleAfterHeadersAsync(client, Encoding.ASCII.GetBytes(request), chunk, TimeSpan.FromMilliseconds(intervalMs), stopTrickle.Token);

        Assert.That(await HealthAsync(endpoint, cancellationToken), Is.EqualTo(HttpStatusCode.OK), "a request beside the slow one");

        // Closed by the endpoint; what it sent first (a 408, say) does not matter.
        _ = await ReceiveAllAsync(client, s_dropWithin, cancellationToken);
        await stopTrickle.CancelAsync();
        await sending;
        Assert.That(started.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1.5)), "dropped by a limit, not at once");
    }

    [Test]
    public async Task Past_the_connection_limit_a_new_connection_is_closed_at_once_and_a_freed_slot_serves_again(CancellationToken cancellationToken)
    {
        const int Limit = 2;
        await using var endpoint = await StartAsync(maxConnections: Limit, cancellationToken, headersTimeout: TimeSpan.FromSeconds(60));
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < Limit; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                idle.Add(socket);
                await socket.ConnectAsync(endpoint.LocalEndPoint, cancellationToken);
            }

            // Kestrel counts a connection once it has accepted it; the one after the limit is closed unanswered.
            using (var over = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                await over.ConnectAsync(endpoint.LocalEndPoint, cancellationToken);
                await over.SendAsync(Encoding.ASCII.GetBytes($"GET /health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {Token}\r\n\r\n"), SocketFlags.None, cancellationToken);
                Assert.That(await ReceiveAllAsync(over, TimeSpan.FromSeconds(60), cancellationToken), Is.Empty, "nothing answered past the limit");
            }

            idle[0].Dispose();
            HttpStatusCode status;
            do
            {
                // The slot frees once Kestrel has seen the close; until then a request is turned away as above.
                status = await HealthAsync(endpoint, cancellationToken, throwOnClose: false);
            }
            while (status != HttpStatusCode.OK);
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    private static async Task<ControlEndpoint> StartAsync(long maxConnections, CancellationToken cancellationToken, TimeSpan? headersTimeout = null)
    {
        var options = new MultipathOptions { Registry = EngineTestKit.LoadLibrary() };
        var limits = new ControlLimits
        {
            RequestHeadersTimeout = headersTimeout ?? s_headersTimeout,
            KeepAliveTimeout = headersTimeout ?? s_headersTimeout,
            RequestBodyGracePeriod = s_bodyGrace,
            MinRequestBodyBytesPerSecond = 10_000,
            MaxConnections = maxConnections,
        };
        var target = new ControlTarget { Options = options, Sessions = () => [], Role = "test", Limits = limits };
        return await ControlEndpoint.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), Token, target, new TestLoggerFactory(), cancellationToken);
    }

    /// <summary>GET /health on a fresh connection; with <paramref name="throwOnClose"/> false, a connection closed unanswered is 503.</summary>
    private static async Task<HttpStatusCode> HealthAsync(ControlEndpoint endpoint, CancellationToken cancellationToken, bool throwOnClose = true)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{endpoint.LocalEndPoint}/health");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return response.StatusCode;
        }
        catch (HttpRequestException) when (!throwOnClose)
        {
            await Task.Delay(50, cancellationToken);
            return HttpStatusCode.ServiceUnavailable;
        }
    }

    /// <summary>
    /// Sends the headers at once (the first byte only, for a request whose headers never end), then the
    /// rest <paramref name="chunk"/> bytes every <paramref name="interval"/>.
    /// </summary>
    private static async Task TrickleAfterHeadersAsync(Socket socket, byte[] bytes, int chunk, TimeSpan interval, CancellationToken cancellationToken)
    {
        if (bytes.Length == 0)
        {
            return;
        }

        var headersEnd = Encoding.ASCII.GetString(bytes).IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var sent = headersEnd < 0 ? 1 : headersEnd + 4;
        try
        {
            await socket.SendAsync(bytes.AsMemory(0, sent), SocketFlags.None, cancellationToken);
            while (sent < bytes.Length)
            {
                await Task.Delay(interval, cancellationToken);
                var n = Math.Min(chunk, bytes.Length - sent);
                await socket.SendAsync(bytes.AsMemory(sent, n), SocketFlags.None, cancellationToken);
                sent += n;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            // Cut off, as it should be.
        }
    }

    /// <summary>Everything until the endpoint closes the connection; cancelled if it has not within <paramref name="within"/>.</summary>
    private static async Task<byte[]> ReceiveAllAsync(Socket socket, TimeSpan within, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(within);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }

        return received.ToArray();
    }
}
