using System.Net;
using System.Security.Cryptography;
using ProgMp.Compiler;
using ProgMp.Runtime.Registry;

namespace ProgMp.Engine.Tests.Support;

/// <summary>What the engine tests share: the scheduler library, session pairs on loopback, transfers with hashes.</summary>
internal static class EngineTestKit
{
    /// <summary>A registry with every program of the scheduler library, of its own (tests add and remove programs).</summary>
    public static SchedulerRegistry LoadLibrary() => SchedulerLibrary.CreateRegistry();

    /// <summary>Options with the library loaded; TLS unless <paramref name="tls"/> is false (raw-frame tests).</summary>
    public static MultipathOptions Options(string scheduler = "minRtt", SchedulerRegistry? registry = null, bool tls = true) => new()
    {
        Registry = registry ?? LoadLibrary(),
        DefaultScheduler = scheduler,
        Security = TestSecurity.For(tls),
    };

    public static MultipathListener StartListener(MultipathOptions options)
    {
        var listener = new MultipathListener([new IPEndPoint(IPAddress.Loopback, 0)], options);
        listener.Start();
        return listener;
    }

    /// <summary>A program that sends only on the subflow with the MIN or MAX id: a policy per-subflow byte counters show at once.</summary>
    public static string OnlyOn(string name, string extreme) => $$"""
        SCHEDULER {{name}};
        VAR target = SUBFLOWS.{{extreme}}(s => s.ID);
        IF (target != NULL AND target.CWND > target.SKBS_IN_FLIGHT + target.QUEUED AND !target.THROTTLED) {
          IF (!RQ.EMPTY) { target.PUSH(RQ.POP()); RETURN; }
          IF (!Q.EMPTY AND target.HAS_WINDOW_FOR(Q.TOP)) { target.PUSH(Q.POP()); }
        }
        """;

    /// <summary>Deterministic pseudo-random bytes, so a failure reproduces.</summary>
    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes <paramref name="data"/> in writes of varying size, then completes writes.</summary>
    public static async Task SendAllAsync(MultipathStream stream, byte[] data, CancellationToken cancellationToken, int chunk = 100_000)
    {
        var random = new Random(data.Length);
        var offset = 0;
        while (offset < data.Length)
        {
            var n = Math.Min(data.Length - offset, random.Next(1, chunk));
            await stream.WriteAsync(data.AsMemory(offset, n), cancellationToken);
            offset += n;
        }

        stream.CompleteWrites();
    }

    /// <summary>Reads to the end of the stream and returns the SHA-256 of everything read and its length.</summary>
    public static async Task<(byte[] Hash, long Length)> ReceiveAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        while (true)
        {
            var n = await stream.ReadAsync(buffer, cancellationToken);
            if (n == 0)
            {
                return (hash.GetHashAndReset(), total);
            }

            hash.AppendData(buffer, 0, n);
            total += n;
        }
    }
}
