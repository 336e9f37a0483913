using System.Net;
using ProgMp.Proxy.Control;
using ProgMp.Engine.Tests.Support;
using ProgMp.Engine.Wire;

namespace ProgMp.Proxy.Tests.Control;

/// <summary>The bounds peers reached are counted in GET /sessions and in /metrics, even once the offending session is gone.</summary>
public partial class ControlStatisticsTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task Limits_a_peer_reached_are_counted_in_the_sessions_report_and_the_metrics(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(1, "minRtt", cancellationToken, serverSide: true);
        var before = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.SessionsReply, HttpMethod.Get, "/sessions", cancellationToken: cancellationToken);

        var (raw, hostile) = await RawPeer.StartSessionAsync(harness.Pair.Listener, cancellationToken);
        await using (raw)
        {
            await raw.SendAsync(new DataFrame(1, 0, 1, 1, new byte[10]), cancellationToken);
            await hostile.Completion.WaitAsync(cancellationToken);
        }

        var after = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.SessionsReply, HttpMethod.Get, "/sessions", cancellationToken: cancellationToken);
        using var metricsResponse = await harness.SendAsync(HttpMethod.Get, "/metrics", cancellationToken: cancellationToken);
        var metrics = await metricsResponse.Content.ReadAsStringAsync(cancellationToken);

        TestContext.Out.WriteLine(metrics);
        Assert.Multiple(() =>
        {
            Assert.That(before.Limits?.Select(l => l.Limit), Is.EqualTo(Enum.GetNames<ResourceLimit>()), "every bound, in the enum's order");
            Assert.That(before.Limits?.Select(l => l.Hits), Is.All.Zero);
            Assert.That(after.Sessions.Select(s => s.Id), Does.Not.Contain(hostile.Id), "the offending session is gone");
            Assert.That(after.Limits?.Single(l => l.Limit == nameof(ResourceLimit.UnopenedStream)).Hits, Is.EqualTo(1));
            Assert.That(after.Limits?.Where(l => l.Limit != nameof(ResourceLimit.UnopenedStream)).Select(l => l.Hits), Is.All.Zero);
            Assert.That(Sample(metrics, "progmp_limit_hits_total{limit=\"UnopenedStream\"}"), Is.EqualTo(1));
            Assert.That(Sample(metrics, "progmp_limit_hits_total{limit=\"StreamsPerSession\"}"), Is.Zero);
        });
        AssertWellFormed(metrics);
    }
}
