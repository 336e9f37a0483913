using System.Net;
using System.Net.Sockets;
using ProgMp.Proxy.Control;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Proxy.Tests.Control;

/// <summary>Closing a session or the engine through the endpoint, and the endpoint's own start and stop.</summary>
public class ControlLifecycleTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Closing_a_session_ends_it_on_both_sides(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(2, "minRtt", cancellationToken);

        var closed = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.CloseReply, HttpMethod.Delete, "/sessions/" + harness.Session.Id, cancellationToken: cancellationToken);
        await harness.Pair.Server.Completion.WaitAsync(cancellationToken);
        var left = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.SessionsReply, HttpMethod.Get, "/sessions", cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(closed.Closed, Is.EqualTo(harness.Session.Id));
            Assert.That(closed.Reason, Is.Not.Null.And.Not.Empty);
            Assert.That(harness.Pair.Client.Completion.IsCompleted, Is.True);
            Assert.That(left.Sessions, Is.Empty);
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Closing_the_engine_answers_first_and_then_calls_the_host_s_shutdown(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(1, "minRtt", cancellationToken);

        var reply = await harness.ExpectAsync(HttpStatusCode.Accepted, ControlJsonContext.Messages.ShutdownReply, HttpMethod.Post, "/shutdown", cancellationToken: cancellationToken);
        await harness.ShutdownRequested.WaitAsync(cancellationToken);

        Assert.That(reply.ShuttingDown, Is.EqualTo("test"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_host_without_a_shutdown_answers_409(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(1, "minRtt", cancellationToken, offerShutdown: false);

        var error = await harness.ExpectErrorAsync(HttpStatusCode.Conflict, HttpMethod.Post, "/shutdown", cancellationToken: cancellationToken);

        Assert.That(error.Error, Is.EqualTo("this host offers no shutdown through its control endpoint"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task An_address_in_use_fails_the_start_with_a_reason(CancellationToken cancellationToken)
    {
        using var occupier = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupier.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupier.Listen();
        var target = new ControlTarget { Options = EngineTestKit.Options(), Sessions = () => [] };

        var error = Assert.ThrowsAsync<IOException>(async () =>
            await ControlEndpoint.StartAsync((IPEndPoint)occupier.LocalEndPoint!, "token", target, new TestLoggerFactory(), cancellationToken));

        Assert.That(error!.Message, Does.StartWith($"The control endpoint cannot listen on {occupier.LocalEndPoint}"));
    }

    [TestCase("")]
    [TestCase("two words")]
    [TestCase("tab\tinside")]
    public void A_token_that_cannot_travel_in_a_header_is_refused_at_the_start(string token)
    {
        var target = new ControlTarget { Options = EngineTestKit.Options(), Sessions = () => [] };

        Assert.ThrowsAsync<ArgumentException>(async () =>
            await ControlEndpoint.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), token, target, new TestLoggerFactory(), CancellationToken.None));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_stopped_endpoint_refuses_connections_and_stops_once(CancellationToken cancellationToken)
    {
        var target = new ControlTarget { Options = EngineTestKit.Options(), Sessions = () => [] };
        var endpoint = await ControlEndpoint.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), "token", target, new TestLoggerFactory(), cancellationToken);
        var address = endpoint.LocalEndPoint;

        await endpoint.DisposeAsync();
        await endpoint.DisposeAsync();

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.That(address.Port, Is.Not.Zero);
        Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(address, cancellationToken));
    }
}
