using System.Net;
using System.Net.Sockets;
using ProgMp.Engine.Tests.Support;
using ProgMp.Shared;

namespace ProgMp.Engine.Tests.Net;

/// <summary>The accept loop every listening socket runs: what it does when accepting fails, and when serving an accepted connection fails.</summary>
[CancelAfter(60_000)]
public class AcceptLoopTests
{
    private const int AcceptFailingEvent = 190;
    private const int AcceptRecoveredEvent = 191;

    [Test]
    public async Task Accepting_that_fails_backs_off_logs_once_and_goes_on_when_it_works_again(CancellationToken cancellationToken)
    {
        var logger = new RecordingLogger();
        var attempts = 0;
        var failing = true;
        var served = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var handedOut = 0;

        // EMFILE as .NET reports it: the process is out of descriptors, the connection stays in the backlog.
        // Once it works, one connection and then an empty backlog: a fresh socket on every call would
        // let the loop open sockets as fast as it can until the process really is out of descriptors.
        async ValueTask<Socket> Accept(CancellationToken ct)
        {
            Interlocked.Increment(ref attempts);
            if (Volatile.Read(ref failing))
            {
                throw new SocketException((int)SocketError.TooManyOpenSockets);
            }

            if (Interlocked.Exchange(ref handedOut, 1) == 0)
            {
                return new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            }

            await Task.Delay(Timeout.Infinite, ct);
            throw new OperationCanceledException(ct);
        }

        var loop = AcceptLoop.RunAsync(Accept, "Test", "127.0.0.1:1", socket => served.TrySetResult(socket), logger, stop.Token);

        // A loop that tried again at once would make hundreds of thousands of attempts in this time;
        // one that backs off makes a handful. A slow machine only makes fewer.
        var window = TimeSpan.FromSeconds(3);
        await Task.Delay(window, cancellationToken);
        var duringFailure = Volatile.Read(ref attempts);
        var doublings = (int)Math.Ceiling(Math.Log2(AcceptLoop.LongestBackoff / AcceptLoop.FirstBackoff));
        var mostAttempts = 1 + doublings + (int)Math.Ceiling(window / AcceptLoop.LongestBackoff) + 2;
        Assert.Multiple(() =>
        {
            Assert.That(duringFailure, Is.InRange(2, mostAttempts), "attempts while accepting failed");
            Assert.That(logger.Count(AcceptFailingEvent), Is.EqualTo(1), "the failure is logged once, not per attempt");
        });

        Volatile.Write(ref failing, false);
        using var socket = await served.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(logger.Count(AcceptFailingEvent), Is.EqualTo(1));
            Assert.That(logger.Count(AcceptRecoveredEvent), Is.EqualTo(1), "the recovery is logged once");
        });
    }

    [Test]
    public async Task A_connection_that_cannot_be_served_is_reset_and_the_next_one_is_served(CancellationToken cancellationToken)
    {
        var logger = new RecordingLogger();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var calls = 0;
        var served = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loop = AcceptLoop.RunAsync(
            listener,
            "Test",
            socket =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    throw new InvalidOperationException("a fault in the code that serves the connection");
                }

                served.TrySetResult(socket);
            },
            logger,
            stop.Token);

        using (var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            // The reset may come so soon that connecting itself reports it.
            var reset = Throws.InstanceOf<SocketException>().With.Property(nameof(SocketException.SocketErrorCode)).EqualTo(SocketError.ConnectionReset);
            Assert.That(
                async () =>
                {
                    await first.ConnectAsync(listener.LocalEndPoint!, cancellationToken);
                    _ = await first.ReceiveAsync(new byte[1], SocketFlags.None, cancellationToken);
                },
                reset);
        }

        using var second = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await second.ConnectAsync(listener.LocalEndPoint!, cancellationToken);
        using var accepted = await served.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        Assert.That(calls, Is.EqualTo(2));
    }

    [Test]
    public async Task Closing_the_listening_socket_ends_the_loop(CancellationToken cancellationToken)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var loop = AcceptLoop.RunAsync(listener, "Test", socket => socket.Dispose(), new RecordingLogger(), CancellationToken.None);
        listener.Dispose();
        await loop.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        Assert.That(loop.IsCompletedSuccessfully, Is.True);
    }
}
