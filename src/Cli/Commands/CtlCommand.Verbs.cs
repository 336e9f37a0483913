using System.Globalization;
using ProgMp.Cli.Control;
using ProgMp.Proxy.Control;

namespace ProgMp.Cli.Commands;

/// <summary>What each verb asks of the endpoint and prints.</summary>
internal static partial class CtlCommand
{
    private const string All = ControlApi.All;

    private static async Task HealthAsync(ControlClient client, TextWriter output, CancellationToken cancellationToken)
    {
        var health = await client.SendAsync(HttpMethod.Get, "/health", ControlJsonContext.Messages.HealthReply, null, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"{health.Status}: {health.Role}, {Plural(health.Sessions, "session")}, {Plural(health.Schedulers, "scheduler")}, default {health.DefaultScheduler}");
    }

    private static async Task SchedulersAsync(ControlClient client, TextWriter output, CancellationToken cancellationToken)
    {
        var list = await client.SendAsync(HttpMethod.Get, "/schedulers", ControlJsonContext.Messages.SchedulerListReply, null, cancellationToken).ConfigureAwait(false);
        var table = new TextTable("name", "default", "path", ">warnings");
        foreach (var scheduler in list.Schedulers)
        {
            table.Add(scheduler.Name, scheduler.IsDefault ? "*" : "", scheduler.Path ?? "", Invariant(scheduler.Warnings.Count));
        }

        table.Write(output);
        output.WriteLine($"new streams run {list.DefaultScheduler} with R1..R6 = {string.Join(' ', list.DefaultRegisters.Select(Invariant))}");
    }

    private static async Task LoadAsync(ControlClient client, string file, TextWriter output, CancellationToken cancellationToken)
    {
        using var problem = new StringWriter(CultureInfo.InvariantCulture);
        if (!SourceFile.TryRead(file, problem, out var source))
        {
            // SourceFile words the one line for every verb; this verb prints it as its own reason.
            const string Prefix = "progmp: ";
            var line = problem.ToString().Trim();
            throw CtlException.Usage(line.StartsWith(Prefix, StringComparison.Ordinal) ? line[Prefix.Length..] : line);
        }

        // The file name as given travels along, so that diagnostics read exactly as 'check FILE' prints them.
        var body = ControlClient.Json(new LoadRequest(source, Path: file), ControlJsonContext.Messages.LoadRequest);
        var loaded = await client.SendAsync(HttpMethod.Post, "/schedulers", ControlJsonContext.Messages.LoadReply, body, cancellationToken).ConfigureAwait(false);
        foreach (var warning in loaded.Warnings)
        {
            output.WriteLine(warning.Text);
        }

        output.WriteLine(loaded.Replaced
            ? $"replaced scheduler {loaded.Name}: streams running it switch at their next decision"
            : $"loaded scheduler {loaded.Name}");
    }

    private static async Task UnloadAsync(ControlClient client, string name, TextWriter output, CancellationToken cancellationToken)
    {
        var removed = await client.SendAsync(HttpMethod.Delete, "/schedulers/" + Uri.EscapeDataString(name), ControlJsonContext.Messages.RemoveReply, null, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"removed scheduler {removed.Removed}");
    }

    private static async Task UseAsync(ControlClient client, string name, string? stream, string? session, TextWriter output, CancellationToken cancellationToken)
    {
        var body = ControlClient.Json(new SchedulerChoiceRequest(name), ControlJsonContext.Messages.SchedulerChoiceRequest);
        if (stream is null)
        {
            RefuseSessionWithoutStream(session);
            var chosen = await client.SendAsync(HttpMethod.Put, "/default/scheduler", ControlJsonContext.Messages.DefaultSchedulerReply, body, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"new streams run {chosen.DefaultScheduler}");
            return;
        }

        var streams = await StreamsPathAsync(client, stream, session, cancellationToken).ConfigureAwait(false);
        var changed = await client.SendAsync(HttpMethod.Put, streams + "/scheduler", ControlJsonContext.Messages.StreamChangeReply, body, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"{Describe(changed)} {(changed.Changed.Count == 1 ? "runs" : "run")} {name}");
    }

    private static async Task SetAsync(ControlClient client, string register, string value, string? stream, string? session, TextWriter output, CancellationToken cancellationToken)
    {
        var name = ParseRegister(register);
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw CtlException.Usage($"VALUE must be a 64-bit integer, not '{value}'");
        }

        var body = ControlClient.Json(new RegisterValueRequest(number), ControlJsonContext.Messages.RegisterValueRequest);
        if (stream is null)
        {
            RefuseSessionWithoutStream(session);
            await client.SendAsync(HttpMethod.Put, "/default/registers/" + name, ControlJsonContext.Messages.DefaultRegisterReply, body, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"new streams start with {name} = {Invariant(number)}");
            return;
        }

        var streams = await StreamsPathAsync(client, stream, session, cancellationToken).ConfigureAwait(false);
        var changed = await client.SendAsync(HttpMethod.Put, streams + "/registers/" + name, ControlJsonContext.Messages.StreamChangeReply, body, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"{name} = {Invariant(number)} on {Describe(changed)}");
    }

    private static async Task PathAddAsync(ControlClient client, string spec, string? session, TextWriter output, CancellationToken cancellationToken)
    {
        var request = PathSpec.Parse(spec);
        var id = await ResolveSessionAsync(client, session, cancellationToken).ConfigureAwait(false);
        var body = ControlClient.Json(request, ControlJsonContext.Messages.PathAddRequest);
        var added = await client.SendAsync(HttpMethod.Post, SessionPath(id) + "/paths", ControlJsonContext.Messages.PathAddReply, body, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"added path {Invariant(added.Path)} ({added.Spec}) to session {added.Session}");
    }

    private static async Task PathRemoveAsync(ControlClient client, string path, string? session, TextWriter output, CancellationToken cancellationToken)
    {
        var pathId = ParsePathId(path);
        var id = await ResolveSessionAsync(client, session, cancellationToken).ConfigureAwait(false);
        var removed = await client.SendAsync(HttpMethod.Delete, $"{SessionPath(id)}/paths/{pathId}", ControlJsonContext.Messages.PathChangeReply, null, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"removed path {Invariant(removed.Path)} of session {removed.Session}");
    }

    private static async Task PathBackupAsync(ControlClient client, string path, bool backup, string? session, TextWriter output, CancellationToken cancellationToken)
    {
        var pathId = ParsePathId(path);
        var id = await ResolveSessionAsync(client, session, cancellationToken).ConfigureAwait(false);
        var body = ControlClient.Json(new PathBackupRequest(backup), ControlJsonContext.Messages.PathBackupRequest);
        var changed = await client.SendAsync(HttpMethod.Put, $"{SessionPath(id)}/paths/{pathId}/backup", ControlJsonContext.Messages.PathChangeReply, body, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"path {Invariant(changed.Path)} of session {changed.Session} is {(changed.Backup ? "a backup" : "regular")}");
    }

    private static async Task CloseAsync(ControlClient client, string? session, TextWriter output, CancellationToken cancellationToken)
    {
        if (session is null)
        {
            var reply = await client.SendAsync(HttpMethod.Post, "/shutdown", ControlJsonContext.Messages.ShutdownReply, null, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"the {reply.ShuttingDown} is shutting down");
            return;
        }

        var closed = await client.SendAsync(HttpMethod.Delete, SessionPath(session), ControlJsonContext.Messages.CloseReply, null, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"closed session {closed.Closed}{(closed.Reason is null ? "" : $" ({closed.Reason})")}");
    }

    /// <summary>The route of the streams meant: one stream of a session, every stream of it, or every stream of every session.</summary>
    private static async Task<string> StreamsPathAsync(ControlClient client, string stream, string? session, CancellationToken cancellationToken)
    {
        if (stream != All && !uint.TryParse(stream, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw CtlException.Usage($"--stream must be a stream id or '{All}', not '{stream}'");
        }

        var id = stream == All && session is null ? All : await ResolveSessionAsync(client, session, cancellationToken).ConfigureAwait(false);
        return $"{SessionPath(id)}/streams/{stream}";
    }

    /// <summary>The session named, or the engine's only one.</summary>
    private static async Task<string> ResolveSessionAsync(ControlClient client, string? session, CancellationToken cancellationToken)
    {
        if (session is not null)
        {
            return session;
        }

        var sessions = (await client.SendAsync(HttpMethod.Get, "/sessions", ControlJsonContext.Messages.SessionsReply, null, cancellationToken).ConfigureAwait(false)).Sessions;
        return sessions.Count switch
        {
            1 => sessions[0].Id,
            0 => throw CtlException.Failed("the engine has no session"),
            _ => throw CtlException.Failed($"the engine has {sessions.Count} sessions ({string.Join(", ", sessions.Select(s => s.Id))}); choose one with --session"),
        };
    }

    private static void RefuseSessionWithoutStream(string? session)
    {
        if (session is not null)
        {
            throw CtlException.Usage($"--session needs --stream (a stream id, or '{All}')");
        }
    }

    private static string ParseRegister(string register)
    {
        if (register.Length == 2 && register[0] is 'R' or 'r' && register[1] is >= '1' and <= '6')
        {
            return "R" + register[1];
        }

        throw CtlException.Usage($"registers are R1 to R6, not '{register}'");
    }

    private static string ParsePathId(string path) =>
        byte.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? Invariant(id)
            : throw CtlException.Usage($"a path id is a number from 0 to 255, not '{path}'");

    private static string SessionPath(string session) => "/sessions/" + Uri.EscapeDataString(session);

    private static string Describe(StreamChangeReply changed) => changed.Changed.Count switch
    {
        0 => "no open stream",
        1 => $"stream {Invariant(changed.Changed[0].Stream)} of session {changed.Changed[0].Session}",
        _ => $"{Invariant(changed.Changed.Count)} streams",
    };

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{Invariant(count)} {noun}s";

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
