using System.Net;
using System.Net.Sockets;
using System.Text;
using ProgMp.Proxy;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Proxy.Tests;

/// <summary>The local proxy's session to the remote proxy: what it does when the session runs out of stream ids, and with streams the remote opens.</summary>
[CancelAfter(90_000)]
public class LocalProxySessionTests
{
    [Test]
    public async Task A_session_out_of_stream_ids_is_replaced_for_new_connections_and_closed_after_its_last_stream(CancellationToken cancellationToken)
    {
        // Ids 1, 3 and 5: three streams a session.
        var localOptions = new MultipathOptions { Registry = EngineTestKit.LoadLibrary(), LastStreamId = 5, Security = TestSecurity.Tls };
        await using var echo = LegacyServer.Echo(IPAddress.Loopback);
        await using var pair = await ProxyPair.StartAsync(["127.0.0.1"], [], cancellationToken, localOptions);
        var first = pair.Local.Session!;

        // Stream 1 stays open across the change of session.
        var (reply, kept) = await SocksClient.ConnectAsync(pair.Socks, echo.EndPoint, cancellationToken);
        Assert.That(reply, Is.Zero);
        using (kept)
        {
            await AssertEchoesAsync(kept!, "before", cancellationToken);
            for (var i = 0; i < 4; i++)
            {
                await EchoOnceAsync(pair.Socks, echo.EndPoint, cancellationToken);
            }

            var second = pair.Local.Session;
            Assert.Multiple(() =>
            {
                Assert.That(second, Is.Not.Null.And.Not.SameAs(first), "connections after the third went over a new session");
                Assert.That(first.Completion.IsCompleted, Is.False, "the first session lives on while it carries a stream");
            });

            await AssertEchoesAsync(kept!, "after", cancellationToken);
            kept!.Shutdown(SocketShutdown.Send);
            Assert.That(await SocksClient.ReceiveToEndAsync(kept, cancellationToken), Is.Empty);
        }

        await first.Completion.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        await EchoOnceAsync(pair.Socks, echo.EndPoint, cancellationToken);
    }

    [Test]
    public async Task Streams_the_remote_opens_are_refused_and_counted(CancellationToken cancellationToken)
    {
        const int Opened = 3;
        await using var listener = EngineTestKit.StartListener(EngineTestKit.Options());
        var options = EngineTestKit.Options();
        await using var local = new LocalProxy([new MultipathPath(listener.LocalEndPoints[0])], new IPEndPoint(IPAddress.Loopback, 0), [], options, new TestLoggerFactory());
        local.Start();
        var remote = await listener.AcceptSessionAsync(cancellationToken);
        for (var i = 0; i < Opened; i++)
        {
            await using var stream = remote.OpenStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("unasked for"), cancellationToken);
            using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            answer.CancelAfter(TimeSpan.FromSeconds(30));
            var reset = Assert.ThrowsAsync<StreamResetException>(async () => _ = await stream.ReadAsync(new byte[16], answer.Token));
            Assert.That(reset!.Reason, Is.EqualTo(ResetReason.Refused));
        }

        Assert.Multiple(() =>
        {
            Assert.That(options.Limits.Hits(ResourceLimit.PeerOpenedStream), Is.EqualTo(Opened));
            Assert.That(remote.Completion.IsCompleted, Is.False, "refusing a stream costs the session nothing");
        });
    }

    private static async Task EchoOnceAsync(IPEndPoint socks, IPEndPoint echo, CancellationToken cancellationToken)
    {
        var (reply, socket) = await SocksClient.ConnectAsync(socks, echo, cancellationToken);
        Assert.That(reply, Is.Zero);
        using (socket)
        {
            await AssertEchoesAsync(socket!, "once", cancellationToken);
            socket!.Shutdown(SocketShutdown.Send);
            Assert.That(await SocksClient.ReceiveToEndAsync(socket, cancellationToken), Is.Empty);
        }
    }

    private static async Task AssertEchoesAsync(Socket socket, string text, CancellationToken cancellationToken)
    {
        var payload = Encoding.ASCII.GetBytes(text);
        await socket.SendAsync(payload, SocketFlags.None, cancellationToken);
        Assert.That(await SocksClient.ReceiveAsync(socket, payload.Length, cancellationToken), Is.EqualTo(payload));
    }
}
