using System.Net;
using System.Net.Sockets;
using ProgMp.Engine.Subflows;

namespace ProgMp.Engine.Tests.Subflows;

/// <summary>
/// A plaintext subflow's vectored write on real loopback sockets: every byte of every piece arrives in
/// order even when the vector is larger than the kernel takes at once, and a write that waits on a
/// peer that does not read ends when the socket is closed.
/// </summary>
public sealed class GatherSenderTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Every_piece_arrives_in_order_when_the_vector_is_larger_than_the_socket_takes_at_once(CancellationToken cancellationToken)
    {
        var (sender, receiver) = await ConnectedPairAsync(cancellationToken);
        using (sender)
        using (receiver)
        using (var gather = new GatherSender(sender))
        {
            var random = new Random(5);
            var pieces = new List<ArraySegment<byte>>();
            foreach (var size in new[] { 30, 65_536, 7, 300_000, 1, 65_536, 1_000_000, 22 })
            {
                var array = new byte[size + 16];
                random.NextBytes(array);
                pieces.Add(new ArraySegment<byte>(array, 8, size));
            }

            var expected = pieces.SelectMany(p => p).ToArray();
            var writing = gather.SendAsync(pieces).AsTask();

            // Nothing is read until the write waits: the kernel took only part of it, and the rest goes when the reader makes room.
            await Task.Delay(50, cancellationToken);
            var received = new byte[expected.Length];
            var offset = 0;
            while (offset < received.Length)
            {
                var n = await receiver.ReceiveAsync(received.AsMemory(offset), SocketFlags.None, cancellationToken);
                Assert.That(n, Is.GreaterThan(0), "the sender's bytes end early");
                offset += n;
            }

            await writing.WaitAsync(cancellationToken);
            Assert.That(received, Is.EqualTo(expected));

            // The sender is ready for the next write.
            await gather.SendAsync([new ArraySegment<byte>([1, 2, 3])]);
            var more = new byte[3];
            await receiver.ReceiveAsync(more, SocketFlags.None, cancellationToken);
            Assert.That(more, Is.EqualTo(new byte[] { 1, 2, 3 }));
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_write_waiting_on_a_peer_that_does_not_read_fails_when_the_socket_is_closed(CancellationToken cancellationToken)
    {
        var (sender, receiver) = await ConnectedPairAsync(cancellationToken);
        using (receiver)
        using (var gather = new GatherSender(sender))
        {
            var writing = gather.SendAsync([new ArraySegment<byte>(new byte[8 * 1024 * 1024])]).AsTask();
            await Task.Delay(50, cancellationToken);
            Assert.That(writing.IsCompleted, Is.False, "the peer reads nothing, so the write waits");

            sender.Dispose();
            Assert.That(async () => await writing.WaitAsync(cancellationToken), Throws.InstanceOf<SocketException>().Or.InstanceOf<ObjectDisposedException>());
        }
    }

    private static async Task<(Socket Sender, Socket Receiver)> ConnectedPairAsync(CancellationToken cancellationToken)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { SendBufferSize = 4096, NoDelay = true };
        await sender.ConnectAsync(listener.LocalEndPoint!, cancellationToken);
        var receiver = await listener.AcceptAsync(cancellationToken);
        return (sender, receiver);
    }
}
