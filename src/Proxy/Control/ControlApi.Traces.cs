using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using ProgMp.Engine;

namespace ProgMp.Proxy.Control;

/// <summary>A stream's decision trace: on (with its capacity), off, and read as JSON.</summary>
internal sealed partial class ControlApi
{
    /// <summary>One stream at a time: a trace takes its memory at once (about 2 KB a decision), and every stream of a busy host at once would be a lot.</summary>
    private async Task<JsonHttpResult<StreamChangeReply>> StartTraceAsync(HttpContext context, string session, string stream, CancellationToken cancellationToken)
    {
        if (session == All || stream == All)
        {
            throw ControlException.BadRequest("a trace is started one stream at a time: name the session and the stream");
        }

        int capacity;
        using (var body = await ControlBody.ReadAsync(context.Request, ["capacity"], cancellationToken).ConfigureAwait(false))
        {
            capacity = ParseCapacity(body.OptionalInteger("capacity") ?? DecisionTrace.DefaultCapacity);
        }

        List<StreamReference> changed;
        try
        {
            changed = ChangeStreams(session, stream, (target, id) => target.EnableStreamDecisionTrace(id, capacity));
        }
        catch (InvalidOperationException e)
        {
            // The session's traces would pass MultipathLimits.TracedDecisionsPerSession; the message says by how much.
            throw ControlException.Conflict(e.Message);
        }

        Applied(context, $"decision trace on for {Count(changed)}, keeping {capacity} decisions");
        return Json(new StreamChangeReply(changed), ControlJsonContext.Messages.StreamChangeReply);
    }

    private JsonHttpResult<StreamChangeReply> StopTrace(HttpContext context, string session, string stream)
    {
        var changed = ChangeStreams(session, stream, (target, id) => target.DisableStreamDecisionTrace(id));
        Applied(context, $"decision trace off for {Count(changed)}");
        return Json(new StreamChangeReply(changed), ControlJsonContext.Messages.StreamChangeReply);
    }

    /// <summary>The newest decisions a GET without <c>last</c> answers: a whole ring of 4096 is megabytes of JSON and of records made for it, which only asking for them should cost.</summary>
    private const int DefaultTraceLast = 256;

    /// <summary>One stream's trace: its newest <see cref="DefaultTraceLast"/> decisions, or with <c>?last=N</c> its newest N.</summary>
    private JsonHttpResult<TraceReply> GetTrace(HttpContext context, string session, string stream)
    {
        if (session == All || stream == All)
        {
            throw ControlException.BadRequest("a trace is read one stream at a time: name the session and the stream");
        }

        var last = DefaultTraceLast;
        if (context.Request.Query.TryGetValue("last", out var values)
            && !int.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out last))
        {
            throw ControlException.BadRequest($"\"last\" must be a number of decisions, not '{values}'");
        }

        var id = ParseStreamId(stream);
        var target = FindSession(session);
        var trace = target.GetStreamDecisionTrace(id, last) ?? throw NoOpenStream(target, id);
        return Json(new TraceReply(target.Id, id, trace), ControlJsonContext.Messages.TraceReply);
    }

    private static int ParseCapacity(long capacity) => capacity is >= 1 and <= DecisionTrace.MaxCapacity
        ? (int)capacity
        : throw ControlException.BadRequest($"\"capacity\" must be from 1 to {DecisionTrace.MaxCapacity} decisions, not {capacity}");
}
