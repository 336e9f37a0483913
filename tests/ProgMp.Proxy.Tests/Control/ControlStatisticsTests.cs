using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ProgMp.Proxy.Control;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Proxy.Tests.Control;

/// <summary>After a transfer over two subflows, the JSON statistics and the Prometheus metrics describe both subflows and the stream with figures that fit it.</summary>
public partial class ControlStatisticsTests
{
    private const int Size = 4 * 1024 * 1024;

    [Test]
    [CancelAfter(60_000)]
    public async Task Statistics_and_metrics_describe_every_subflow_and_stream_after_a_transfer(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(2, "roundRobin", cancellationToken);
        var (client, server) = await harness.Pair.OpenStreamAsync(cancellationToken);
        var data = EngineTestKit.Bytes(Size, 5);
        var reader = EngineTestKit.ReceiveAllAsync(server, cancellationToken);
        await client.WriteAsync(data, cancellationToken);
        await client.WaitForAcknowledgementAsync(cancellationToken);

        var first = await harness.SessionReportAsync(cancellationToken);
        var all = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.SessionsReply, HttpMethod.Get, "/sessions", cancellationToken: cancellationToken);
        using var metricsResponse = await harness.SendAsync(HttpMethod.Get, "/metrics", cancellationToken: cancellationToken);
        var metrics = await metricsResponse.Content.ReadAsStringAsync(cancellationToken);
        using var sessionsResponse = await harness.SendAsync(HttpMethod.Get, "/sessions", cancellationToken: cancellationToken);
        var sessionsJson = await sessionsResponse.Content.ReadAsStringAsync(cancellationToken);
        client.CompleteWrites();
        Assert.That((await reader).Hash, Is.EqualTo(SHA256.HashData(data)));

        TestContext.Out.WriteLine(metrics);
        var stream = first.Streams.Single();
        Assert.Multiple(() =>
        {
            Assert.That(all.Sessions.Select(s => s.Id), Is.EqualTo(new[] { harness.Session.Id }));
            Assert.That(first.IsClient, Is.True);
            Assert.That(first.Paths.Select(p => p.Id), Is.EqualTo(new[] { 0, 1 }));
            Assert.That(first.Subflows, Has.Count.EqualTo(2));
            Assert.That(first.Subflows.Select(s => s.State), Is.All.EqualTo(SubflowState.Active));
            Assert.That(sessionsJson, Does.Contain("\"state\": \"active\""), "a subflow's state is written as a lower-case word");
            Assert.That(first.Subflows.Sum(s => s.BytesSent), Is.GreaterThanOrEqualTo(Size), "every byte went out on some subflow");
            Assert.That(first.Subflows.Select(s => s.BytesSent), Is.All.GreaterThan(0), "round robin uses both");
            Assert.That(first.Subflows.Select(s => s.RttMicroseconds), Is.All.InRange(1, 1_000_000), "loopback RTT: positive, below a second");
            Assert.That(first.Subflows.Select(s => s.CongestionWindow), Is.All.GreaterThan(0));
            Assert.That(first.Subflows.Select(s => s.InFlight), Is.All.GreaterThanOrEqualTo(0));
            Assert.That(first.Subflows.Select(s => s.GoodputBytesPerSecond), Is.All.GreaterThanOrEqualTo(0));
            Assert.That(stream.Id, Is.EqualTo(client.Id));
            Assert.That(stream.Scheduler, Is.EqualTo("roundRobin"));
            Assert.That(stream.BytesWritten, Is.EqualTo(Size));
            Assert.That(stream.BytesAcked, Is.EqualTo(Size));
            Assert.That(stream.Registers, Has.Count.EqualTo(6));

            Assert.That(metricsResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(metricsResponse.Content.Headers.ContentType?.ToString(), Does.StartWith("text/plain; version=0.0.4"));
            foreach (var subflow in first.Subflows)
            {
                var labels = $"{{session=\"{first.Id}\",subflow=\"{subflow.Id}\",path=\"{subflow.PathId}\"}}";
                Assert.That(Sample(metrics, "progmp_subflow_sent_bytes_total" + labels), Is.GreaterThanOrEqualTo(subflow.BytesSent));
                Assert.That(Sample(metrics, "progmp_subflow_rtt_seconds" + labels), Is.InRange(0.000001, 1.0));
                Assert.That(Sample(metrics, "progmp_subflow_cwnd_packets" + labels), Is.GreaterThan(0));
                Assert.That(Sample(metrics, "progmp_subflow_in_flight_packets" + labels), Is.GreaterThanOrEqualTo(0));
                Assert.That(Sample(metrics, "progmp_subflow_active" + labels), Is.EqualTo(1));
            }

            var streamLabels = $"{{session=\"{first.Id}\",stream=\"{client.Id}\"}}";
            Assert.That(Sample(metrics, "progmp_stream_acked_bytes_total" + streamLabels), Is.EqualTo(Size));
            Assert.That(Sample(metrics, $"progmp_stream_scheduler_info{{session=\"{first.Id}\",stream=\"{client.Id}\",scheduler=\"roundRobin\"}}"), Is.EqualTo(1));
            Assert.That(Sample(metrics, "progmp_sessions"), Is.EqualTo(1));
        });
        AssertWellFormed(metrics);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_second_report_has_rates_from_the_endpoint_s_snapshots(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(1, "minRtt", cancellationToken);
        var (client, _) = await harness.Pair.OpenStreamAsync(cancellationToken);

        var first = await harness.SessionReportAsync(cancellationToken);
        // The rate divides by the time between the two reports, which must not be zero.
        await Task.Delay(20, cancellationToken);
        var second = await harness.SessionReportAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(first.Streams.Single().GoodputBytesPerSecond, Is.Null, "one snapshot gives no rate");
            Assert.That(second.Streams.Single().GoodputBytesPerSecond, Is.Zero, "nothing was written in between");
            Assert.That(second.Streams.Single().ReadBytesPerSecond, Is.Zero);
            Assert.That(second.Subflows.Single().ReceiveBytesPerSecond, Is.Not.Null.And.GreaterThanOrEqualTo(0));
        });
        await client.DisposeAsync();
    }

    private static double Sample(string metrics, string series)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        Assert.Fail($"no sample {series}");
        return 0;
    }

    /// <summary>Every sample belongs to a family announced by HELP and TYPE just before its samples, and each family appears once.</summary>
    private static void AssertWellFormed(string metrics)
    {
        Assert.That(metrics, Does.EndWith("\n"));
        var families = new HashSet<string>();
        string? current = null;
        foreach (var line in metrics.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                current = line.Split(' ')[2];
                Assert.That(families.Add(current), Is.True, $"family {current} appears twice");
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                Assert.That(line, Does.Match($"^# TYPE {current} (counter|gauge)$"));
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.That(match.Success, Is.True, $"not a sample line: {line}");
            Assert.That(match.Groups["name"].Value, Is.EqualTo(current), line);
            if (current!.EndsWith("_total", StringComparison.Ordinal))
            {
                Assert.That(double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(0), line);
            }
        }
    }

    [GeneratedRegex("""^(?<name>[a-z_]+)(\{([a-z_]+="[^"\\\n]*",?)+\})? (?<value>-?[0-9.eE+-]+|NaN|[+-]Inf)$""")]
    private static partial Regex SampleLine();
}
