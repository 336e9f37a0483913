using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ProgMp.Emulation;
using static ProgMp.Emulation.Tests.SocketTestKit;

namespace ProgMp.Emulation.Tests;

/// <summary>
/// The path emulator over real loopback sockets. Timings assert only the physical lower bound: an
/// emulated path can never be faster than its profile, however loaded the machine. How much slower a
/// shared machine makes it says nothing of the emulator, so the only upper bounds are the tests'
/// timeouts; EmulatedLinkTests time the model to the tick on a simulated clock.
/// </summary>
public sealed class PathEmulatorTests
{
    private static readonly IPEndPoint AnyLoopback = new(IPAddress.Loopback, 0);

    [TestCase(0, null)]
    [TestCase(2, 400.0)]
    public async Task Bytes_arrive_intact_in_both_directions_at_once(double delayMilliseconds, double? mbitPerSecond)
    {
        var profile = new PathProfile(TimeSpan.FromMilliseconds(delayMilliseconds), mbitPerSecond);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        const int Size = 4 * 1024 * 1024;
        var up = RandomBytes(Size, 1);
        var down = RandomBytes(Size, 2);
        var serverReceived = new TaskCompletionSource<(long Count, byte[] Hash)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = LoopbackServer.Start(async (socket, ct) =>
        {
            var receiving = ReceiveToEndAsync(socket, ct);
            await SendAllAsync(socket, down, ct);
            serverReceived.TrySetResult(await receiving);
        });
        await using var path = PathEmulator.Start(AnyLoopback, server.EndPoint, profile);
        using var client = await ConnectAsync(path.LocalEndPoint, cancel.Token);

        var clientReceiving = ReceiveToEndAsync(client, cancel.Token);
        await SendAllAsync(client, up, cancel.Token);
        var atClient = await clientReceiving;
        var atServer = await serverReceived.Task.WaitAsync(cancel.Token);

        Assert.Multiple(() =>
        {
            Assert.That(atServer.Count, Is.EqualTo(Size));
            Assert.That(atServer.Hash, Is.EqualTo(SHA256.HashData(up)));
            Assert.That(atClient.Count, Is.EqualTo(Size));
            Assert.That(atClient.Hash, Is.EqualTo(SHA256.HashData(down)));
            Assert.That(path.BytesToTarget, Is.EqualTo(Size));
            Assert.That(path.BytesToClient, Is.EqualTo(Size));
            Assert.That(path.ConnectionsAccepted, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_round_trip_takes_at_least_twice_the_one_way_delay()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var echo = await EchoPath.StartAsync(new PathProfile(TimeSpan.FromMilliseconds(20)), cancel.Token);
        var rtts = await RoundTripsAsync(echo.Client, 8, cancel.Token);

        Assert.That(rtts.Min(), Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(40)), string.Join(", ", rtts));
    }

    [TestCase(100, 2 * 1024 * 1024)]
    [TestCase(500, 8 * 1024 * 1024)]
    public async Task A_transfer_takes_at_least_its_size_over_the_rate(double mbitPerSecond, int size)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = LoopbackServer.Start(async (socket, ct) => done.TrySetResult((await ReceiveToEndAsync(socket, ct)).Count));
        await using var path = PathEmulator.Start(AnyLoopback, server.EndPoint, new PathProfile(TimeSpan.Zero, mbitPerSecond));
        using var client = await ConnectAsync(path.LocalEndPoint, cancel.Token);

        var start = Stopwatch.GetTimestamp();
        await SendAllAsync(client, RandomBytes(size, 3), cancel.Token);
        var received = await done.Task.WaitAsync(cancel.Token);
        var elapsed = Stopwatch.GetElapsedTime(start);

        var ideal = TimeSpan.FromSeconds(size * 8 / (mbitPerSecond * 1e6));
        var burstAllowance = TimeSpan.FromSeconds(16 * 1024 * 8 / (mbitPerSecond * 1e6));
        await TestContext.Out.WriteLineAsync($"{size} bytes in {elapsed.TotalMilliseconds:0.0} ms (ideal {ideal.TotalMilliseconds:0.0} ms)");
        Assert.Multiple(() =>
        {
            Assert.That(received, Is.EqualTo(size));
            Assert.That(elapsed, Is.GreaterThanOrEqualTo(ideal - burstAllowance), $"ideal {ideal.TotalMilliseconds} ms");
        });
    }

    [Test]
    public async Task A_full_queue_stops_the_sender()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        const int Queue = 64 * 1024;
        const int Buffers = 64 * 1024;

        // The server never reads, so everything the client gets rid of waits somewhere on the way.
        await using var server = LoopbackServer.Start((_, ct) => Task.Delay(Timeout.Infinite, ct), receiveBufferBytes: Buffers);
        await using var path = PathEmulator.Start(AnyLoopback, server.EndPoint, new PathProfile(TimeSpan.Zero, 100, Queue));
        using var client = await ConnectAsync(path.LocalEndPoint, cancel.Token, sendBufferBytes: Buffers);
        client.Blocking = false;

        var chunk = new byte[16 * 1024];
        long written = 0;
        var lastProgress = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(lastProgress) < TimeSpan.FromMilliseconds(300) && written < 64 * 1024 * 1024)
        {
            var sent = client.Send(chunk, SocketFlags.None, out var error);
            if (error == SocketError.Success && sent > 0)
            {
                written += sent;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else
            {
                Assert.That(error, Is.EqualTo(SocketError.WouldBlock));
                await Task.Delay(5, cancel.Token);
            }
        }

        // Six kernel buffers (Linux doubles each setting), the queue and what is in flight past it.
        var bound = (6 * 2 * Buffers) + Queue + EmulatedLink.InFlightSlackBytes;
        await TestContext.Out.WriteLineAsync($"the sender got {written} bytes ahead (bound {bound})");
        Assert.Multiple(() =>
        {
            Assert.That(written, Is.LessThan(bound * 1.5), $"bound {bound}");
            Assert.That(written, Is.GreaterThan(Queue), "the relay read nothing");
        });
    }

    [Test]
    public async Task A_reset_fault_resets_connections_and_refuses_new_ones_until_restored()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var echo = await EchoPath.StartAsync(null, cancel.Token);
        var (path, client) = (echo.Path, echo.Client);
        await RoundTripAsync(client, cancel.Token);

        path.Fail(PathFailureMode.Reset);
        var old = await ReadAfterResetAsync(client, cancel.Token);
        var fresh = await ConnectExpectingResetAsync(path.LocalEndPoint, cancel.Token);
        Assert.Multiple(() =>
        {
            Assert.That(old, Is.EqualTo("reset"));
            Assert.That(fresh, Is.EqualTo("reset").Or.EqualTo("closed"));
            Assert.That(path.Failure, Is.EqualTo(PathFailureMode.Reset));
        });

        path.Restore();
        using var after = await ConnectAsync(path.LocalEndPoint, cancel.Token);
        await RoundTripAsync(after, cancel.Token);
        Assert.That(path.Failure, Is.Null);
    }

    [Test]
    public async Task The_path_failed_line_is_logged_after_the_open_connections_are_reset()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var server = LoopbackServer.Echo();
        Socket? client = null;
        bool? resetWhenLogged = null;

        // Looks at the client from inside the log call: a reader of the line (the CLI's scripts and
        // tests) acts on it at once, so the reset must already have happened. Were the line logged
        // first, the poll would wait out its whole time, as the abort comes only after the log call.
        using var logs = new CallbackLoggerFactory(eventId =>
        {
            if (eventId == EmulationEventId.PathFailed)
            {
                resetWhenLogged = client!.Poll(TimeSpan.FromSeconds(10), SelectMode.SelectRead);
            }
        });
        await using var path = PathEmulator.Start(AnyLoopback, server.EndPoint, loggerFactory: logs);
        using var connected = await ConnectAsync(path.LocalEndPoint, cancel.Token);
        client = connected;
        await RoundTripAsync(connected, cancel.Token);

        path.Fail(PathFailureMode.Reset);

        Assert.Multiple(async () =>
        {
            Assert.That(resetWhenLogged, Is.True, "the line came before the reset");
            Assert.That(await ReadAfterResetAsync(connected, cancel.Token), Is.EqualTo("reset"));
        });
    }

    [Test]
    public async Task A_fault_schedule_fails_and_restores_the_path_no_earlier_than_asked()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var echo = await EchoPath.StartAsync(null, cancel.Token);
        var (path, client) = (echo.Path, echo.Client);
        await RoundTripAsync(client, cancel.Token);

        var schedule = new PathFaultSchedule(TimeSpan.FromMilliseconds(100), PathFailureMode.Reset, TimeSpan.FromMilliseconds(200));
        var start = Stopwatch.GetTimestamp();
        var running = schedule.RunAsync(path, cancel.Token);
        var seen = await ReadAfterResetAsync(client, cancel.Token);
        var resetAfter = Stopwatch.GetElapsedTime(start);
        await running;
        var restoredAfter = Stopwatch.GetElapsedTime(start);

        using var after = await ConnectAsync(path.LocalEndPoint, cancel.Token);
        await RoundTripAsync(after, cancel.Token);
        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo("reset"));
            Assert.That(resetAfter, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(100)));
            Assert.That(restoredAfter, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(200)));
            Assert.That(path.Failure, Is.Null);
        });
    }

    [Test]
    public void A_fault_schedule_must_restore_after_it_fails()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PathFaultSchedule(TimeSpan.FromSeconds(2), PathFailureMode.Reset, TimeSpan.FromSeconds(1)));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PathFaultSchedule(TimeSpan.FromSeconds(-1), PathFailureMode.Blackhole));
        });
    }

    [Test]
    public async Task A_blackhole_holds_everything_until_restored_and_then_delivers_it_intact()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        const int Size = 256 * 1024;
        var up = RandomBytes(Size, 4);
        var down = RandomBytes(Size, 5);
        var received = new TaskCompletionSource<(long Count, byte[] Hash)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverBytes = 0L;
        var newcomerBytes = 0L;
        var startDown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var connections = 0;
        await using var server = LoopbackServer.Start(async (socket, ct) =>
        {
            var buffer = new byte[64 * 1024];
            if (Interlocked.Increment(ref connections) > 1)
            {
                // The connection opened while blackholed: count what reaches the server.
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, ct) is var count and > 0)
                {
                    Interlocked.Add(ref newcomerBytes, count);
                }

                return;
            }

            // Counts as it goes, so the test can see that nothing arrives while blackholed.
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var sending = startDown.Task.ContinueWith(_ => SendAllAsync(socket, down, ct), ct, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, ct) is var count and > 0)
            {
                hash.AppendData(buffer, 0, count);
                Interlocked.Add(ref serverBytes, count);
            }

            await sending;
            received.TrySetResult((Interlocked.Read(ref serverBytes), hash.GetHashAndReset()));
        });
        await using var path = PathEmulator.Start(AnyLoopback, server.EndPoint, new PathProfile(TimeSpan.FromMilliseconds(1), 200));
        using var client = await ConnectAsync(path.LocalEndPoint, cancel.Token);
        await client.SendAsync(up.AsMemory(0, 1), SocketFlags.None, cancel.Token);
        while (Interlocked.Read(ref serverBytes) < 1)
        {
            await Task.Delay(5, cancel.Token);
        }

        path.Fail(PathFailureMode.Blackhole);
        var clientReceiving = ReceiveToEndAsync(client, cancel.Token);
        var sending = SendAllAsync(client, up.AsMemory(1), cancel.Token);
        startDown.SetResult();
        using var newcomer = await ConnectAsync(path.LocalEndPoint, cancel.Token);
        var newcomerSending = newcomer.SendAsync(new byte[] { 7 }, SocketFlags.None, cancel.Token);
        await Task.Delay(400, cancel.Token);

        Assert.Multiple(() =>
        {
            Assert.That(Interlocked.Read(ref serverBytes), Is.EqualTo(1), "bytes crossed a blackholed path to the server");
            Assert.That(clientReceiving.IsCompleted, Is.False, "the client's read ended while blackholed");
            Assert.That(path.BytesToClient, Is.Zero);
            Assert.That(server.Accepted, Is.EqualTo(1), "a new connection reached the server while blackholed");
            Assert.That(path.ActiveConnections, Is.EqualTo(2));
        });

        path.Restore();
        await sending;
        await newcomerSending;
        var atClient = await clientReceiving;
        var atServer = await received.Task.WaitAsync(cancel.Token);
        while (Interlocked.Read(ref newcomerBytes) < 1)
        {
            await Task.Delay(5, cancel.Token);
        }

        Assert.Multiple(() =>
        {
            Assert.That(atServer.Count, Is.EqualTo(Size));
            Assert.That(atServer.Hash, Is.EqualTo(SHA256.HashData(up)));
            Assert.That(atClient.Count, Is.EqualTo(Size));
            Assert.That(atClient.Hash, Is.EqualTo(SHA256.HashData(down)));
        });
    }

    [Test]
    public async Task A_profile_changed_while_running_takes_effect_at_once()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var echo = await EchoPath.StartAsync(null, cancel.Token);
        var (path, client) = (echo.Path, echo.Client);
        await RoundTripAsync(client, cancel.Token);

        // Slower: no round trip on the open connection is shorter than the new delays allow.
        path.SetProfile(new PathProfile(TimeSpan.FromMilliseconds(30)));
        var slow = await RoundTripsAsync(client, 3, cancel.Token);

        // Faster: the way back holds the echo for an hour, then loses its delay while the echo is on its
        // way. A bound of an hour against the test's 30 s, instead of a round trip timed against a few
        // milliseconds of slack, which a loaded machine overran. (EmulatedLinkTests time it to the tick.)
        path.SetProfile(PathDirection.ToClient, new PathProfile(TimeSpan.FromHours(1)));
        var crossed = path.BytesToTarget + 1;
        var sentAt = Stopwatch.GetTimestamp();
        await client.SendAsync(new byte[] { 7 }, SocketFlags.None, cancel.Token);
        var echoed = ReceiveExactlyAsync(client, 1, cancel.Token);
        while (path.BytesToTarget < crossed)
        {
            await Task.Delay(5, cancel.Token);
        }

        var toTarget = Stopwatch.GetElapsedTime(sentAt);

        Assert.That(echoed.IsCompleted, Is.False, "the echo came back past an hour's delay");
        path.SetProfile(PathDirection.ToClient, PathProfile.Unlimited);

        Assert.Multiple(async () =>
        {
            Assert.That((await echoed)[0], Is.EqualTo(7), "the held echo was released");
            Assert.That(slow.Min(), Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(60)), string.Join(", ", slow));
            Assert.That(toTarget, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(30)), "the way there kept its delay");
            Assert.That(path.GetProfile(PathDirection.ToTarget).OneWayDelay, Is.EqualTo(TimeSpan.FromMilliseconds(30)));
        });
    }

    [Test]
    public async Task Disposing_resets_every_connection_and_stops_listening()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var server = LoopbackServer.Echo();
        var path = PathEmulator.Start(AnyLoopback, server.EndPoint);
        var endPoint = path.LocalEndPoint;
        using var first = await ConnectAsync(endPoint, cancel.Token);
        using var second = await ConnectAsync(endPoint, cancel.Token);
        await RoundTripAsync(first, cancel.Token);
        await RoundTripAsync(second, cancel.Token);
        Assert.That(path.ActiveConnections, Is.EqualTo(2));

        await path.DisposeAsync();
        await path.DisposeAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(await ReadAfterResetAsync(first, cancel.Token), Is.EqualTo("reset"));
            Assert.That(await ReadAfterResetAsync(second, cancel.Token), Is.EqualTo("reset"));
            Assert.That(path.ActiveConnections, Is.Zero);
            var refused = Assert.ThrowsAsync<SocketException>(async () => (await ConnectAsync(endPoint, cancel.Token)).Dispose());
            Assert.That(refused?.SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));
        });
    }

    [Test]
    public async Task A_client_is_reset_when_the_target_is_unreachable()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        IPEndPoint closed;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(AnyLoopback);
            closed = (IPEndPoint)probe.LocalEndPoint!;
        }

        await using var path = PathEmulator.Start(AnyLoopback, closed);
        Assert.That(await ConnectExpectingResetAsync(path.LocalEndPoint, cancel.Token), Is.EqualTo("reset"));
    }

    /// <summary>Calls back with the event id of every log entry, on the thread that logs it.</summary>
    private sealed class CallbackLoggerFactory(Action<int> onLog) : ILoggerFactory, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            onLog(eventId.Id);

        public void Dispose()
        {
        }
    }
}
