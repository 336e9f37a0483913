using System.Net;
using ProgMp.Engine.Tests.Support;
using ProgMp.Proxy.Control;

namespace ProgMp.Proxy.Tests.Control;

/// <summary>Every route wants the bearer token; without the right one the answer is 401 and nothing changes.</summary>
public class ControlAuthenticationTests
{
    private const string Program = "SCHEDULER intruder;\nSUBFLOWS.MIN(s => s.RTT).PUSH(Q.POP());\n";

    public static IEnumerable<TestCaseData> Tokens()
    {
        yield return new TestCaseData((string?)null).SetName("no Authorization header");
        yield return new TestCaseData("wrong").SetName("a short wrong token");
        yield return new TestCaseData(ControlHarness.Token[..^1]).SetName("the token less its last character");
        yield return new TestCaseData(ControlHarness.Token + "x").SetName("the token and one more character");
        yield return new TestCaseData(ControlHarness.Token.ToUpperInvariant()).SetName("the token in another case");
    }

    [TestCaseSource(nameof(Tokens))]
    [CancelAfter(30_000)]
    public async Task A_request_without_the_right_token_gets_401_and_changes_nothing(string? token, CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(1, "minRtt", cancellationToken);
        var json = System.Text.Json.JsonSerializer.Serialize(new { source = Program });

        var load = await harness.ExpectErrorAsync(HttpStatusCode.Unauthorized, HttpMethod.Post, "/schedulers", json, token, cancellationToken);
        await harness.ExpectErrorAsync(HttpStatusCode.Unauthorized, HttpMethod.Put, "/default/scheduler", "{\"name\": \"redundant\"}", token, cancellationToken);
        await harness.ExpectErrorAsync(HttpStatusCode.Unauthorized, HttpMethod.Put, "/default/registers/R1", "{\"value\": 7}", token, cancellationToken);
        await harness.ExpectErrorAsync(HttpStatusCode.Unauthorized, HttpMethod.Delete, "/schedulers/redundant", token: token, cancellationToken: cancellationToken);
        await harness.ExpectErrorAsync(HttpStatusCode.Unauthorized, HttpMethod.Delete, "/sessions/" + harness.Session.Id, token: token, cancellationToken: cancellationToken);
        await harness.ExpectErrorAsync(HttpStatusCode.Unauthorized, HttpMethod.Post, "/shutdown", token: token, cancellationToken: cancellationToken);
        await harness.ExpectErrorAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/metrics", token: token, cancellationToken: cancellationToken);
        await harness.ExpectErrorAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/no/such/route", token: token, cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(load.Error, Does.Contain("bearer token"));
            Assert.That(harness.Options.Registry.Contains("intruder"), Is.False, "the load was not carried out");
            Assert.That(harness.Options.DefaultScheduler, Is.EqualTo("minRtt"));
            Assert.That(harness.Options.DefaultRegisters[0], Is.Zero);
            Assert.That(harness.Options.Registry.Contains("redundant"), Is.True);
            Assert.That(harness.Session.Completion.IsCompleted, Is.False);
            Assert.That(harness.ShutdownRequested.IsCompleted, Is.False);
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_401_names_the_scheme_it_wants(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(1, "minRtt", cancellationToken);
        using var response = await harness.SendAsync(HttpMethod.Get, "/health", token: null, cancellationToken: cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.Select(h => h.Scheme), Is.EqualTo(new[] { "Bearer" }));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Another_scheme_with_the_right_secret_is_refused(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(1, "minRtt", cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, harness.Url + "/health");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + ControlHarness.Token);
        using var response = await harness.Http.SendAsync(request, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task The_right_token_is_let_through(CancellationToken cancellationToken)
    {
        await using var harness = await ControlHarness.StartAsync(1, "minRtt", cancellationToken);
        var health = await harness.ExpectAsync(HttpStatusCode.OK, ControlJsonContext.Messages.HealthReply, HttpMethod.Get, "/health", cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(health.Status, Is.EqualTo("ok"));
            Assert.That(health.Role, Is.EqualTo("test"));
            Assert.That(health.Sessions, Is.EqualTo(1));
            Assert.That(health.DefaultScheduler, Is.EqualTo("minRtt"));
            Assert.That(health.Schedulers, Is.EqualTo(harness.Options.Registry.Names.Count));
        });
    }
}
