using System.Globalization;
using System.Net;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using ProgMp.Runtime;
using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Registry;

using ProgMp.Engine;

namespace ProgMp.Proxy.Control;

/// <summary>
/// The control endpoint's operations (docs/control.md), as minimal-API handlers over the host's
/// <see cref="ControlTarget"/>. A handler throws <see cref="ControlException"/> for a request it must
/// refuse; what it changes it logs.
/// </summary>
internal sealed partial class ControlApi
{
    /// <summary>The word that stands for every session or every stream in a route.</summary>
    public const string All = "all";

    private readonly ControlTarget _target;
    private readonly ILogger _logger;
    private readonly RateTracker _rates = new();

    public ControlApi(ControlTarget target, ILogger logger)
    {
        _target = target;
        _logger = logger;
    }

    private MultipathOptions Options => _target.Options;

    private SchedulerRegistry Registry => _target.Options.Registry;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", Health);
        routes.MapGet("/schedulers", ListSchedulers);
        routes.MapPost("/schedulers", LoadSchedulerAsync);
        routes.MapDelete("/schedulers/{name}", RemoveScheduler);
        routes.MapPut("/default/scheduler", SetDefaultSchedulerAsync);
        routes.MapPut("/default/registers/{register}", SetDefaultRegisterAsync);
        routes.MapGet("/sessions", ListSessions);
        routes.MapGet("/sessions/{session}", GetSession);
        routes.MapDelete("/sessions/{session}", CloseSessionAsync);
        routes.MapPut("/sessions/{session}/streams/{stream}/scheduler", SetStreamSchedulerAsync);
        routes.MapPut("/sessions/{session}/streams/{stream}/registers/{register}", SetStreamRegisterAsync);
        routes.MapPut("/sessions/{session}/streams/{stream}/trace", StartTraceAsync);
        routes.MapDelete("/sessions/{session}/streams/{stream}/trace", StopTrace);
        routes.MapGet("/sessions/{session}/streams/{stream}/trace", GetTrace);
        routes.MapPost("/sessions/{session}/paths", AddPathAsync);
        routes.MapDelete("/sessions/{session}/paths/{path}", RemovePath);
        routes.MapPut("/sessions/{session}/paths/{path}/backup", SetPathBackupAsync);
        routes.MapPost("/shutdown", Shutdown);
        routes.MapGet("/metrics", Metrics);
    }

    /// <summary>Who sent a request, for the log.</summary>
    public static string? Remote(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address ? new IPEndPoint(address, context.Connection.RemotePort).ToString() : null;

    private JsonHttpResult<HealthReply> Health() => Json(
        new HealthReply("ok", _target.Role, LiveSessions().Count, Registry.Names.Count, Options.DefaultScheduler),
        ControlJsonContext.Messages.HealthReply);

    private List<MultipathSession> LiveSessions() => _target.Sessions().Where(s => !s.Completion.IsCompleted).ToList();

    private MultipathSession FindSession(string id)
    {
        var matches = LiveSessions().Where(s => s.Id == id).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw ControlException.NotFound($"no session '{id}'"),
            // Both ends of one session in this process (a test, a demo) carry the same id.
            _ => throw ControlException.Conflict($"{matches.Count} sessions are named '{id}' (both of its ends live in this process)"),
        };
    }

    /// <summary>
    /// Applies <paramref name="change"/> to one stream, to every open stream of a session
    /// (<paramref name="stream"/> = all), or to every open stream of every session (both all).
    /// </summary>
    private List<StreamReference> ChangeStreams(string session, string stream, Func<MultipathSession, uint, bool> change)
    {
        var everySession = session == All;
        if (everySession && stream != All)
        {
            throw ControlException.BadRequest($"session '{All}' goes only with stream '{All}'");
        }

        var sessions = everySession ? LiveSessions() : [FindSession(session)];
        var changed = new List<StreamReference>();
        if (stream == All)
        {
            foreach (var target in sessions)
            {
                // A stream that ends meanwhile is passed over, as it would have been a moment later.
                foreach (var open in target.GetStatistics().Streams)
                {
                    if (change(target, open.Id))
                    {
                        changed.Add(new StreamReference(target.Id, open.Id));
                    }
                }
            }

            return changed;
        }

        var id = ParseStreamId(stream);
        var only = sessions[0];
        if (!change(only, id))
        {
            throw NoOpenStream(only, id);
        }

        changed.Add(new StreamReference(only.Id, id));
        return changed;
    }

    private static uint ParseStreamId(string stream) =>
        uint.TryParse(stream, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw ControlException.BadRequest($"the stream must be a stream id or '{All}', not '{stream}'");

    private static ControlException NoOpenStream(MultipathSession session, uint stream) =>
        ControlException.NotFound($"session {session.Id} has no open stream {stream}");

    /// <summary>R1 to R6 (in any case) as a register number.</summary>
    private static int ParseRegister(string text)
    {
        if (text.Length >= 2 && text[0] is 'R' or 'r'
            && int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var register)
            && register is >= 1 and <= MultipathStream.RegisterCount)
        {
            return register;
        }

        throw ControlException.BadRequest($"registers are R1 to R{MultipathStream.RegisterCount}, not '{text}'");
    }

    private static async Task<long> ReadRegisterValueAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var body = await ControlBody.ReadAsync(context.Request, ["value"], cancellationToken).ConfigureAwait(false);
        return body.RequireInteger("value");
    }

    /// <summary>The body's scheduler name, which must be loaded.</summary>
    private async Task<string> ReadSchedulerChoiceAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var body = await ControlBody.ReadAsync(context.Request, ["name"], cancellationToken).ConfigureAwait(false);
        var name = body.RequireString("name");
        return Registry.Contains(name) ? name : throw UnknownScheduler(name);
    }

    private static ControlException UnknownScheduler(string name) => ControlException.NotFound($"no scheduler named '{name}' is loaded");

    private static DiagnosticReport Report(SchedulerDiagnostic diagnostic) => new(
        diagnostic.IsError ? "error" : "warning",
        diagnostic.Code,
        diagnostic.Message,
        diagnostic.Path,
        diagnostic.Line,
        diagnostic.Column,
        diagnostic.ToString());

    private void Applied(HttpContext context, string outcome) =>
        ControlLog.Applied(_logger, context.Request.Method, context.Request.Path, Remote(context), outcome);

    private static JsonHttpResult<T> Json<T>(T value, JsonTypeInfo<T> type, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(value, type, statusCode: statusCode);
}
