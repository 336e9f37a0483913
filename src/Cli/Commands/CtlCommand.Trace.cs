using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ProgMp.Cli.Control;
using ProgMp.Engine;
using ProgMp.Proxy.Control;

namespace ProgMp.Cli.Commands;

/// <summary><c>trace on|off|show</c>: a stream's decision trace, the last decisions as a table or as the endpoint's JSON.</summary>
internal static partial class CtlCommand
{
    private const int DefaultShown = 20;

    /// <summary>The <c>trace</c> verbs, each through <paramref name="verb"/> (which adds the URL and token handling).</summary>
    private static Command TraceCommand(Action<Command, Command, Func<ParseResult, ControlClient, CancellationToken, Task>> verb, TextWriter output)
    {
        var trace = new Command("trace", "A stream's decision trace: what its scheduler saw and did, decision by decision.");

        var onStream = TraceStreamOption(allowAll: false);
        var onSession = SessionOption();
        var capacity = new Option<int>("--capacity") { Description = $"Decisions to keep, 1 to {DecisionTrace.MaxCapacity}.", DefaultValueFactory = _ => DecisionTrace.DefaultCapacity };
        verb(
            new Command("on", "Start recording a stream's decisions (again from empty if it was on).") { onStream, onSession, capacity },
            trace,
            (parse, client, ct) => TraceOnAsync(client, parse.GetValue(onStream), parse.GetValue(onSession), parse.GetValue(capacity), output, ct));

        var offStream = TraceStreamOption(allowAll: true);
        var offSession = SessionOption();
        verb(
            new Command("off", "Stop recording; what was recorded can still be shown.") { offStream, offSession },
            trace,
            (parse, client, ct) => TraceOffAsync(client, parse.GetValue(offStream), parse.GetValue(offSession), output, ct));

        var showStream = TraceStreamOption(allowAll: false);
        var showSession = SessionOption();
        var last = new Option<int>("--last") { Description = "How many of the newest decisions to print.", DefaultValueFactory = _ => DefaultShown };
        var json = new Option<bool>("--json") { Description = "Print the endpoint's JSON as it came." };
        verb(
            new Command("show", "Print the last decisions: time, scheduler, Q/QU/RQ, the subflows it saw, what it did.") { showStream, showSession, last, json },
            trace,
            (parse, client, ct) => TraceShowAsync(client, parse.GetValue(showStream), parse.GetValue(showSession), parse.GetValue(last), parse.GetValue(json), output, ct));
        return trace;
    }

    private static Option<string> TraceStreamOption(bool allowAll) => new("--stream")
    {
        Description = allowAll
            ? "A stream id, or 'all' for every open stream; may be left out when the session has one open stream."
            : "A stream id; may be left out when the session has one open stream.",
    };

    private static async Task TraceOnAsync(ControlClient client, string? stream, string? session, int capacity, TextWriter output, CancellationToken cancellationToken)
    {
        RefuseAllStreams(stream, "on");
        if (capacity is < 1 or > DecisionTrace.MaxCapacity)
        {
            throw CtlException.Usage($"--capacity must be from 1 to {DecisionTrace.MaxCapacity} decisions, not {Invariant(capacity)}");
        }

        var streams = await TraceStreamsPathAsync(client, stream, session, cancellationToken).ConfigureAwait(false);
        var body = ControlClient.Json(new TraceRequest(capacity), ControlJsonContext.Messages.TraceRequest);
        var changed = await client.SendAsync(HttpMethod.Put, streams + "/trace", ControlJsonContext.Messages.StreamChangeReply, body, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"decision trace on for {Describe(changed)}, keeping the last {Invariant(capacity)} decisions");
    }

    private static async Task TraceOffAsync(ControlClient client, string? stream, string? session, TextWriter output, CancellationToken cancellationToken)
    {
        var streams = await TraceStreamsPathAsync(client, stream, session, cancellationToken).ConfigureAwait(false);
        var changed = await client.SendAsync(HttpMethod.Delete, streams + "/trace", ControlJsonContext.Messages.StreamChangeReply, null, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"decision trace off for {Describe(changed)}");
    }

    private static async Task TraceShowAsync(ControlClient client, string? stream, string? session, int last, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        if (last < 1)
        {
            throw CtlException.Usage($"--last must be a positive number of decisions, not {Invariant(last)}");
        }

        RefuseAllStreams(stream, "show");

        var route = await TraceStreamsPathAsync(client, stream, session, cancellationToken).ConfigureAwait(false) + "/trace?last=" + Invariant(last);
        var text = await client.SendForTextAsync(HttpMethod.Get, route, null, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            output.WriteLine(text);
            return;
        }

        TraceReply reply;
        try
        {
            reply = JsonSerializer.Deserialize(text, ControlJsonContext.Messages.TraceReply) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw CtlException.Failed($"the endpoint's answer to GET {route} is not what progmp ctl understands: {e.Message}");
        }

        output.Write($"stream {Invariant(reply.Stream)} of session {reply.Session}, {reply.Trace}");
    }

    private static void RefuseAllStreams(string? stream, string verb)
    {
        if (stream == All)
        {
            throw CtlException.Usage($"trace {verb} takes one stream: --stream must be a stream id");
        }
    }

    /// <summary>Like <see cref="StreamsPathAsync"/>, but without --stream the session's only open stream.</summary>
    private static async Task<string> TraceStreamsPathAsync(ControlClient client, string? stream, string? session, CancellationToken cancellationToken)
    {
        if (stream is not null)
        {
            return await StreamsPathAsync(client, stream, session, cancellationToken).ConfigureAwait(false);
        }

        var id = await ResolveSessionAsync(client, session, cancellationToken).ConfigureAwait(false);
        var report = await client.SendAsync(HttpMethod.Get, SessionPath(id), ControlJsonContext.Messages.SessionReport, null, cancellationToken).ConfigureAwait(false);
        return report.Streams.Count switch
        {
            1 => $"{SessionPath(id)}/streams/{Invariant(report.Streams[0].Id)}",
            0 => throw CtlException.Failed($"session {id} has no open stream"),
            _ => throw CtlException.Failed($"session {id} has {report.Streams.Count} open streams ({string.Join(", ", report.Streams.Select(s => Invariant(s.Id)))}); choose one with --stream"),
        };
    }
}
