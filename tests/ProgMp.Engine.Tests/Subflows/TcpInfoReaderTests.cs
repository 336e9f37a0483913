using System.Net;
using System.Net.Sockets;
using ProgMp.Engine.Subflows;

namespace ProgMp.Engine.Tests.Subflows;

/// <summary>TCP_INFO and TCP_NOTSENT_LOWAT on a real loopback connection (Linux; elsewhere the reader must say false).</summary>
public sealed class TcpInfoReaderTests
{
    private CancellationTokenSource _cancel = null!;
    private Socket _client = null!;
    private Socket _server = null!;

    [SetUp]
    public async Task ConnectAsync()
    {
        _cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync(_cancel.Token);
        await _client.ConnectAsync(listener.LocalEndPoint!, _cancel.Token);
        _server = await accepting;
    }

    [TearDown]
    public void Disconnect()
    {
        _client.Dispose();
        _server.Dispose();
        _cancel.Dispose();
    }

    [Test]
    public async Task A_connected_socket_reports_an_established_connection_with_rtt_cwnd_and_acked_bytes()
    {
        Assume.That(OperatingSystem.IsLinux(), "TCP_INFO is read on Linux only.");
        await ExchangeAsync(256 * 1024);
        var first = await ReadWhenAckedAsync(256 * 1024);
        await ExchangeAsync(256 * 1024);
        var second = await ReadWhenAckedAsync(512 * 1024);

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

    [Test]
    public async Task The_receiving_end_counts_the_bytes_it_received()
    {
        Assume.That(OperatingSystem.IsLinux(), "TCP_INFO is read on Linux only.");
        await ExchangeAsync(100_000);
        Assert.That(TcpInfoReader.TryRead(_server, out var info), Is.True);
        Assert.That(info.BytesReceived, Is.EqualTo(100_000UL), info.ToString);
    }

    [Test]
    public void The_not_sent_low_watermark_reads_back_as_set()
    {
        Assume.That(OperatingSystem.IsLinux(), "TCP_NOTSENT_LOWAT is set on Linux only.");
        Assert.That(TcpInfoReader.TrySetNotSentLowWatermark(_client, 16 * 1024), Is.True);
        Assert.That(TcpInfoReader.TryGetNotSentLowWatermark(_client, out var bytes), Is.True);
        Assert.That(bytes, Is.EqualTo(16 * 1024));
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
    public void Reading_allocates_nothing()
    {
        Assume.That(OperatingSystem.IsLinux(), "TCP_INFO is read on Linux only.");
        TcpInfoReader.TryRead(_client, out _);
        var smallest = long.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            uint sum = 0;
            for (var i = 0; i < 100; i++)
            {
                TcpInfoReader.TryRead(_client, out var info);
                sum += info.SndCwnd;
            }

            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.That(sum, Is.GreaterThan(0u));
        }

        Assert.That(smallest, Is.Zero);
    }

    // Sends from the client and reads it all at the server, so that every byte gets acknowledged.
    private async Task ExchangeAsync(int size)
    {
        var sending = _client.SendAsync(new byte[size].AsMemory(), SocketFlags.None, _cancel.Token);
        var buffer = new byte[64 * 1024];
        for (var received = 0; received < size;)
        {
            received += await _server.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, _cancel.Token);
        }

        await sending;
    }

    // The last ACK may still be on its way (a delayed ACK waits up to 40 ms): poll until it is in, within the test's time limit.
    private async Task<TcpInfo> ReadWhenAckedAsync(ulong bytes)
    {
        while (true)
        {
            Assert.That(TcpInfoReader.TryRead(_client, out var info), Is.True);
            if (info.BytesAcked >= bytes)
            {
                return info;
            }

            await Task.Delay(5, _cancel.Token);
        }
    }
}
