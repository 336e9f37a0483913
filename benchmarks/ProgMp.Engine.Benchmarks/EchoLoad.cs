using System.Diagnostics;

namespace ProgMp.Engine.Benchmarks;

/// <summary>
/// A client that writes as fast as it can while a server echoes back what it reads (or only reads, one
/// way); the rates count the bytes the server read and the bytes the client got back in a window after a
/// warm-up, so that slow start and the drain at the end stay out of the figure.
/// </summary>
internal static class EchoLoad
{
    /// <summary>How long the drain after the window may take before the run is torn down instead.</summary>
    private static readonly TimeSpan s_drainLimit = TimeSpan.FromSeconds(10);

    public static async Task<EchoRates> MeasureAsync(Stream client, Action completeClient, Stream server, Action completeServer, bool echo, TimeSpan warmUp, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long received = 0;
        long echoed = 0;
        var writing = true;
        var writer = Task.Run(async () =>
        {
            var chunk = new byte[64 * 1024];
            new Random(3).NextBytes(chunk);
            while (Volatile.Read(ref writing))
            {
                await client.WriteAsync(chunk, stop.Token);
            }

            completeClient();
        }, stop.Token);
        var echoing = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var n = await server.ReadAsync(buffer, stop.Token);
                if (n == 0)
                {
                    completeServer();
                    return;
                }

                Interlocked.Add(ref received, n);
                if (echo)
                {
                    await server.WriteAsync(buffer.AsMemory(0, n), stop.Token);
                }
            }
        }, stop.Token);
        var reading = !echo ? Task.CompletedTask : Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await client.ReadAsync(buffer, stop.Token)) > 0)
            {
                Interlocked.Add(ref echoed, n);
            }
        }, stop.Token);
        var all = Task.WhenAll(writer, echoing, reading);

        // A side that fails during the window ends the run rather than leaving a quiet figure.
        await Task.WhenAny(all, Task.Delay(warmUp, cancellationToken));
        ThrowIfEnded(all);
        var clock = Stopwatch.StartNew();
        var received0 = Interlocked.Read(ref received);
        var echoed0 = Interlocked.Read(ref echoed);
        await Task.WhenAny(all, Task.Delay(duration, cancellationToken));
        ThrowIfEnded(all);
        var seconds = clock.Elapsed.TotalSeconds;
        var rates = new EchoRates(
            (Interlocked.Read(ref received) - received0) * 8 / seconds / 1e6,
            (Interlocked.Read(ref echoed) - echoed0) * 8 / seconds / 1e6);
        cancellationToken.ThrowIfCancellationRequested();

        Volatile.Write(ref writing, false);
        try
        {
            await all.WaitAsync(s_drainLimit, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The window is measured; a drain that hangs is reported and cut short by disposal.
            Console.Error.WriteLine($"echo: the drain after the window took over {s_drainLimit.TotalSeconds} s; tearing down");
            await stop.CancelAsync();
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None));
        }

        return rates;
    }

    private static void ThrowIfEnded(Task all)
    {
        if (all.IsCompleted)
        {
            all.GetAwaiter().GetResult();
            throw new InvalidOperationException("The echo ended before its window did.");
        }
    }
}
