using System.Net;
using ProgMp.Compiler;
using ProgMp.Proxy.Control;
using ProgMp.Engine.Tests.Support;

namespace ProgMp.Proxy.Tests.Control;

/// <summary>A request the endpoint cannot carry out gets the right status and a reason to print, and changes nothing.</summary>
public class ControlRequestTests
{
    private ControlHarness _harness = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _harness = await ControlHarness.StartAsync(1, "minRtt", timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _harness.DisposeAsync();

    private string SessionPath => "/sessions/" + _harness.Session.Id;

    [TestCase("{\"name\": \"redundant\"", "the body is not valid JSON (line 1, byte 21)")]
    [TestCase("{name: \"redundant\"}", "the body is not valid JSON (line 1, byte 2)")]
    [TestCase("", "the body is empty; expected a JSON object")]
    [TestCase("[\"redundant\"]", "the body must be a JSON object, not an array")]
    [TestCase("{\"name\": 5}", "\"name\" must be a string, not a number")]
    [TestCase("{\"nam\": \"redundant\"}", "unknown key \"nam\" in the body; expected \"name\"")]
    [TestCase("{}", "the body needs \"name\" (a string)")]
    [CancelAfter(30_000)]
    public async Task A_malformed_body_gets_400_with_a_reason(string body, string reason, CancellationToken cancellationToken)
    {
        var error = await _harness.ExpectErrorAsync(HttpStatusCode.BadRequest, HttpMethod.Put, "/default/scheduler", body, cancellationToken: cancellationToken);

        Assert.That(error.Error, Does.StartWith(reason));
        Assert.That(_harness.Options.DefaultScheduler, Is.EqualTo("minRtt"));
    }

    [TestCase("/default/registers/R1", "{\"value\": \"five\"}", "\"value\" must be an integer, not a string")]
    [TestCase("/default/registers/R1", "{\"value\": 1.5}", "\"value\" must be a 64-bit integer, not 1.5")]
    [TestCase("/default/registers/R1", "{\"value\": 99999999999999999999}", "\"value\" must be a 64-bit integer")]
    [TestCase("/default/registers/R0", "{\"value\": 1}", "registers are R1 to R6, not 'R0'")]
    [TestCase("/default/registers/R7", "{\"value\": 1}", "registers are R1 to R6, not 'R7'")]
    [TestCase("/default/registers/X1", "{\"value\": 1}", "registers are R1 to R6, not 'X1'")]
    [CancelAfter(30_000)]
    public async Task A_wrong_register_or_value_gets_400(string path, string body, string reason, CancellationToken cancellationToken)
    {
        var error = await _harness.ExpectErrorAsync(HttpStatusCode.BadRequest, HttpMethod.Put, path, body, cancellationToken: cancellationToken);

        Assert.That(error.Error, Does.StartWith(reason));
        Assert.That(_harness.Options.DefaultRegisters, Is.All.Zero);
    }

    [TestCase("/streams/x/registers/R1", "the stream must be a stream id or 'all', not 'x'")]
    [TestCase("/streams/-1/registers/R1", "the stream must be a stream id or 'all', not '-1'")]
    [CancelAfter(30_000)]
    public async Task A_stream_that_is_not_an_id_gets_400(string path, string reason, CancellationToken cancellationToken)
    {
        var error = await _harness.ExpectErrorAsync(HttpStatusCode.BadRequest, HttpMethod.Put, SessionPath + path, "{\"value\": 1}", cancellationToken: cancellationToken);

        Assert.That(error.Error, Is.EqualTo(reason));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Session_all_goes_only_with_stream_all(CancellationToken cancellationToken)
    {
        var error = await _harness.ExpectErrorAsync(HttpStatusCode.BadRequest, HttpMethod.Put, "/sessions/all/streams/1/registers/R1", "{\"value\": 1}", cancellationToken: cancellationToken);

        Assert.That(error.Error, Is.EqualTo("session 'all' goes only with stream 'all'"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Unknown_sessions_streams_schedulers_and_paths_get_404(CancellationToken cancellationToken)
    {
        var id = _harness.Session.Id;
        var session = await _harness.ExpectErrorAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/sessions/0123456789abcdef", cancellationToken: cancellationToken);
        var stream = await _harness.ExpectErrorAsync(HttpStatusCode.NotFound, HttpMethod.Put, SessionPath + "/streams/999/registers/R1", "{\"value\": 1}", cancellationToken: cancellationToken);
        var streamScheduler = await _harness.ExpectErrorAsync(HttpStatusCode.NotFound, HttpMethod.Put, SessionPath + "/streams/999/scheduler", "{\"name\": \"redundant\"}", cancellationToken: cancellationToken);
        var scheduler = await _harness.ExpectErrorAsync(HttpStatusCode.NotFound, HttpMethod.Put, "/default/scheduler", "{\"name\": \"noSuchScheduler\"}", cancellationToken: cancellationToken);
        var removal = await _harness.ExpectErrorAsync(HttpStatusCode.NotFound, HttpMethod.Delete, "/schedulers/noSuchScheduler", cancellationToken: cancellationToken);
        var path = await _harness.ExpectErrorAsync(HttpStatusCode.NotFound, HttpMethod.Delete, SessionPath + "/paths/9", cancellationToken: cancellationToken);
        var route = await _harness.ExpectErrorAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/no/such/route", cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(session.Error, Is.EqualTo("no session '0123456789abcdef'"));
            Assert.That(stream.Error, Is.EqualTo($"session {id} has no open stream 999"));
            Assert.That(streamScheduler.Error, Is.EqualTo($"session {id} has no open stream 999"));
            Assert.That(scheduler.Error, Is.EqualTo("no scheduler named 'noSuchScheduler' is loaded"));
            Assert.That(removal.Error, Is.EqualTo("no scheduler named 'noSuchScheduler' is loaded"));
            Assert.That(path.Error, Is.EqualTo($"session {id} has no path 9"));
            Assert.That(route.Error, Is.EqualTo("no such route: GET /no/such/route"));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_route_asked_with_the_wrong_method_gets_405(CancellationToken cancellationToken)
    {
        var error = await _harness.ExpectErrorAsync(HttpStatusCode.MethodNotAllowed, HttpMethod.Delete, "/health", cancellationToken: cancellationToken);

        Assert.That(error.Error, Is.EqualTo("method not allowed: DELETE /health"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_scheduler_that_does_not_compile_gets_422_with_the_diagnostics_check_prints(CancellationToken cancellationToken)
    {
        const string Source = "SCHEDULER broken;\nVAR x = ;\nSET(R9, 1);\nDROP(Q.POP());\n";
        var expected = new SchedulerCompiler().Compile(Source, "broken.progmp").Diagnostics.Select(d => d.ToString()).ToList();
        var body = System.Text.Json.JsonSerializer.Serialize(new { source = Source, path = "broken.progmp" });

        var error = await _harness.ExpectErrorAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, "/schedulers", body, cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(expected, Is.Not.Empty);
            Assert.That(error.Error, Does.StartWith("the scheduler does not compile: "));
            Assert.That(error.Diagnostics?.Select(d => d.Text), Is.EqualTo(expected));
            Assert.That(error.Diagnostics?.Select(d => d.Text), Has.Some.Match(@"^broken\.progmp\(\d+,\d+\): error PMP\d{4}: "));
            Assert.That(_harness.Options.Registry.Contains("broken"), Is.False);
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_program_that_declares_another_name_than_asked_is_not_loaded(CancellationToken cancellationToken)
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new { source = "SCHEDULER actual;\nSUBFLOWS.MIN(s => s.RTT).PUSH(Q.POP());\n", name = "wanted" });

        var error = await _harness.ExpectErrorAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/schedulers", body, cancellationToken: cancellationToken);

        Assert.That(error.Error, Is.EqualTo("the program declares SCHEDULER actual, not wanted; nothing was loaded"));
        Assert.That(_harness.Options.Registry.Contains("actual"), Is.False);
        Assert.That(_harness.Options.Registry.Contains("wanted"), Is.False);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task The_default_scheduler_cannot_be_removed(CancellationToken cancellationToken)
    {
        var error = await _harness.ExpectErrorAsync(HttpStatusCode.Conflict, HttpMethod.Delete, "/schedulers/minRtt", cancellationToken: cancellationToken);

        Assert.That(error.Error, Is.EqualTo("minRtt is the default scheduler; choose another default first"));
        Assert.That(_harness.Options.Registry.Contains("minRtt"), Is.True);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_body_over_the_limit_is_refused(CancellationToken cancellationToken)
    {
        var source = "SCHEDULER huge;\n/*" + new string('x', (int)ControlEndpoint.MaxRequestBodyBytes) + "*/\n";
        var body = System.Text.Json.JsonSerializer.Serialize(new { source });

        // With 100-continue the endpoint can refuse before the client sends the body (else the refusal races the upload).
        using var request = new HttpRequestMessage(HttpMethod.Post, _harness.Url + "/schedulers") { Content = new StringContent(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ControlHarness.Token);
        request.Headers.ExpectContinue = true;
        using var response = await _harness.Http.SendAsync(request, cancellationToken);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(_harness.Options.Registry.Contains("huge"), Is.False);
    }
}
