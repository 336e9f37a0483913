using System.Security.Cryptography;
using System.Text;
using ProgMp.Emulation;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Engine.Tests.Security;

/// <summary>
/// A relay in the middle of a subflow (the path emulator's tap): over TLS it sees none of what the
/// session carries, and a byte it changes ends that subflow alone while the data arrives whole over
/// the other. The plaintext run is the control that shows the observer would see the pattern.
/// </summary>
[CancelAfter(90_000)]
public class OnPathAttackerTests
{
    private static readonly byte[] s_marker = Encoding.ASCII.GetBytes("PROGMP-KNOWN-PATTERN-0123456789:");

    [TestCase(true, false, TestName = "A relay in the middle of a TLS subflow sees none of a known pattern sent both ways")]
    [TestCase(false, true, TestName = "A relay in the middle of a plaintext subflow sees the known pattern (the control)")]
    public async Task What_a_relay_in_the_middle_sees(bool tls, bool seen, CancellationToken cancellationToken)
    {
        var pattern = Enumerable.Repeat(s_marker, 1_000_000 / s_marker.Length).SelectMany(b => b).ToArray();
        var captured = new Dictionary<(long, PathDirection), MemoryStream>();
        await using var session = await EmulatedSession.StartAsync(EngineTestKit.Options(tls: tls), [EmulatedSession.Path(200, 1), EmulatedSession.Path(200, 1)], cancellationToken);
        foreach (var path in session.Paths)
        {
            path.Tap = (connection, direction, bytes) =>
            {
                lock (captured)
                {
                    var key = (connection, direction);
                    if (!captured.TryGetValue(key, out var stream))
                    {
                        captured[key] = stream = new MemoryStream();
                    }

                    stream.Write(bytes);
                }
            };
        }

        var (client, server) = await session.Pair.OpenStreamAsync(cancellationToken);
        var towardsServer = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        var towardsClient = EngineTestKit.ReceiveAllAsync(client, cancellationToken);
        await Task.WhenAll(EngineTestKit.SendAllAsync(client, pattern, cancellationToken), EngineTestKit.SendAllAsync(server, pattern, cancellationToken));
        var expected = SHA256.HashData(pattern);
        Assert.That((await towardsServer).Hash, Is.EqualTo(expected));
        Assert.That((await towardsClient).Hash, Is.EqualTo(expected));

        lock (captured)
        {
            var observed = captured.Values.Sum(s => s.Length);
            var containing = captured.Values.Count(s => s.GetBuffer().AsSpan(0, (int)s.Length).IndexOf(s_marker) >= 0);
            Assert.Multiple(() =>
            {
                Assert.That(observed, Is.GreaterThan(2 * pattern.Length), "the relays saw the transfer");
                Assert.That(containing > 0, Is.EqualTo(seen), $"{containing} of {captured.Count} relayed byte streams hold the pattern");
            });
        }
    }

    [Test]
    public async Task A_byte_flipped_on_one_TLS_subflow_ends_that_subflow_while_the_data_arrives_whole_over_the_other(CancellationToken cancellationToken)
    {
        await using var session = await EmulatedSession.StartAsync(EngineTestKit.Options(), [EmulatedSession.Path(100, 5), EmulatedSession.Path(100, 5)], cancellationToken);
        var relayed = 0L;
        var flipped = 0;
        session.Paths[0].Tap = (connection, direction, bytes) =>
        {
            // Once, on the first subflow of path 0, in the client's data well after the handshake.
            if (connection != 1 || direction != PathDirection.ToTarget || Volatile.Read(ref flipped) == 1)
            {
                return;
            }

            var before = relayed;
            relayed += bytes.Length;
            if (relayed > 300_000 && Interlocked.Exchange(ref flipped, 1) == 0)
            {
                bytes[(int)Math.Max(0, 300_000 - before)] ^= 0x01;
            }
        };

        var (client, server) = await session.Pair.OpenStreamAsync(cancellationToken);
        var data = EngineTestKit.Bytes(8 * 1024 * 1024, 9);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        await EngineTestKit.SendAllAsync(client, data, cancellationToken);
        var (hash, length) = await reader;

        // The client opens path 0 again once its subflow has died.
        while (session.Paths[0].ConnectionsAccepted < 2)
        {
            await Task.Delay(10, cancellationToken);
        }

        Assert.Multiple(() =>
        {
            Assert.That(flipped, Is.EqualTo(1), "the relay changed a byte");
            Assert.That(length, Is.EqualTo(data.Length));
            Assert.That(hash, Is.EqualTo(SHA256.HashData(data)));
            Assert.That(session.Client.Completion.IsCompleted, Is.False, session.Client.CloseReason);
        });
    }
}
