using System.Net;
using System.Net.Sockets;
using ProgMp.Engine.Subflows;

namespace ProgMp.Engine.Tests.Subflows;

/// <summary>TCP_INFO and TCP_NOTSENT_LOWAT on a real loopback connection (Linux; elsewhere the reader must say false).</summary>
public sealed class TcpInfoReaderTests
{
    [Test]
    public async Task A_connected_socket_reports_an_established_connection_with_rtt_cwnd_and_acked_bytes()
    {
        Assume.That(OperatingSystem.IsLinux(), "TCP_INFO is read on Linux only.");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (client, server) = await ConnectedPairAsync(cancel.Token);
        using (client)
        using (server)
        {
            await ExchangeAsync(client, server, 256 * 1024, cancel.Token);
            var first = await ReadWhenAckedAsync(client, 256 * 1024, cancel.Token);
            await ExchangeAsync(client, server, 256 * 1024, cancel.Token);
            var second = await ReadWhenAckedAsync(client, 512 * 1024, cancel.Token);

            Assert.Multiple(() =>
            {
                Assert.That(first.State, Is.EqualTo(KernelTcpState.Established), first.ToString);
                Assert.That(first.Length, Is.GreaterThanOrEqualTo(TcpInfo.MinimumLength));
                Assert.That(first.RttMicroseconds, Is.GreaterThan(0u), first.ToString);
                Assert.That(first.SndCwnd, Is.GreaterThan(0u), first.ToString);
                Assert.That(first.SndMss, Is.GreaterThan(0u), first.ToString);
                Assert.That(first.Options.HasFlag(TcpInfoOptions.Sack), Is.True, first.ToString);
                Assert.That(first.BytesAcked, Is.GreaterThanOrEqualTo(256UL * 1024), first.ToString);
                Assert.That(second.BytesAcked, Is.GreaterThan(first.BytesAcked ?? 0), second.ToString);
                Assert.That(second.BytesSent, Is.GreaterThanOrEqualTo(512UL * 1024), second.ToString);
            });
        }
    }

    [Test]
    public async Task Both_ends_see_the_bytes_the_other_sent()
    {
        Assume.That(OperatingSystem.IsLinux(), "TCP_INFO is read on Linux only.");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (client, server) = await ConnectedPairAsync(cancel.Token);
        using (client)
        using (server)
        {
            await ExchangeAsync(client, server, 100_000, cancel.Token);
            Assert.That(TcpInfoReader.TryRead(server, out var info), Is.True);
            Assert.That(info.BytesReceived, Is.EqualTo(100_000UL), info.ToString);
        }
    }

    [Test]
    public async Task The_not_sent_low_watermark_reads_back_as_set()
    {
        Assume.That(OperatingSystem.IsLinux(), "TCP_NOTSENT_LOWAT is set on Linux only.");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (client, server) = await ConnectedPairAsync(cancel.Token);
        using (client)
        using (server)
        {
            Assert.That(TcpInfoReader.TrySetNotSentLowWatermark(client, 16 * 1024), Is.True);
            Assert.That(TcpInfoReader.TryGetNotSentLowWatermark(client, out var bytes), Is.True);
            Assert.That(bytes, Is.EqualTo(16 * 1024));
        }
    }

    [Test]
    public void A_disposed_socket_is_a_false_not_an_exception()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(TcpInfoReader.TryRead(socket, out _), Is.False);
            Assert.That(TcpInfoReader.TrySetNotSentLowWatermark(socket, 1), Is.False);
            Assert.That(TcpInfoReader.TryGetNotSentLowWatermark(socket, out _), Is.False);
        });
    }

    [Test]
    public void A_udp_socket_has_no_tcp_info()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Assert.That(TcpInfoReader.TryRead(socket, out _), Is.False);
    }

    [Test]
    public async Task Reading_allocates_nothing()
    {
        Assume.That(OperatingSystem.IsLinux(), "TCP_INFO is read on Linux only.");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (client, server) = await ConnectedPairAsync(cancel.Token);
        using (client)
        using (server)
        {
            TcpInfoReader.TryRead(client, out _);
            var smallest = long.MaxValue;
            for (var round = 0; round < 3; round++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                uint sum = 0;
                for (var i = 0; i < 100; i++)
                {
                    TcpInfoReader.TryRead(client, out var info);
                    sum += info.SndCwnd;
                }

                smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before);
                Assert.That(sum, Is.GreaterThan(0u));
            }

            Assert.That(smallest, Is.Zero);
        }
    }

    private static async Task<(Socket Client, Socket Server)> ConnectedPairAsync(CancellationToken cancellationToken)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync(cancellationToken);
        await client.ConnectAsync(listener.LocalEndPoint!, cancellationToken);
        return (client, await accepting);
    }

    // Sends from the client and reads it all at the server, so that every byte is acknowledged.
    private static async Task ExchangeAsync(Socket client, Socket server, int size, CancellationToken cancellationToken)
    {
        var data = new byte[size];
        var sending = client.SendAsync(data.AsMemory(), SocketFlags.None, cancellationToken);
        var buffer = new byte[64 * 1024];
        for (var received = 0; received < size;)
        {
            received += await server.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, cancellationToken);
        }

        await sending;
    }

    // The last ACK may still be on its way (a delayed ACK waits up to 40 ms): poll until it is in, within the test's time limit.
    private static async Task<TcpInfo> ReadWhenAckedAsync(Socket socket, ulong bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            Assert.That(TcpInfoReader.TryRead(socket, out var info), Is.True);
            if (info.BytesAcked >= bytes)
            {
                return info;
            }

            await Task.Delay(5, cancellationToken);
        }
    }
}
