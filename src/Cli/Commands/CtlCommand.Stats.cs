using System.Globalization;
using System.Text.Json;
using ProgMp.Cli.Control;
using ProgMp.Proxy.Control;

namespace ProgMp.Cli.Commands;

/// <summary><c>stats</c>: the sessions' figures as aligned tables, or the endpoint's JSON.</summary>
internal static partial class CtlCommand
{
    private static async Task StatsAsync(ControlClient client, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        if (json)
        {
            output.WriteLine(await client.SendForTextAsync(HttpMethod.Get, "/sessions", null, cancellationToken).ConfigureAwait(false));
            return;
        }

        var reply = await client.SendAsync(HttpMethod.Get, "/sessions", ControlJsonContext.Messages.SessionsReply, null, cancellationToken).ConfigureAwait(false);
        var sessions = reply.Sessions;
        if (sessions.Count == 0)
        {
            output.WriteLine("no sessions");
        }

        for (var i = 0; i < sessions.Count; i++)
        {
            if (i > 0)
            {
                output.WriteLine();
            }

            WriteSession(sessions[i], output);
        }

        WriteLimits(reply.Limits, output);
    }

    /// <summary>The bounds peers reached, even with no session left: an attack usually costs the attacker its session.</summary>
    private static void WriteLimits(IReadOnlyList<LimitReport>? limits, TextWriter output)
    {
        if (limits is null)
        {
            return;
        }

        output.WriteLine();
        var reached = limits.Where(l => l.Hits > 0).ToList();
        if (reached.Count == 0)
        {
            output.WriteLine("limits reached: none");
            return;
        }

        output.WriteLine("limits reached:");
        var table = new TextTable("limit", ">hits");
        foreach (var limit in reached)
        {
            table.Add(limit.Limit, Invariant(limit.Hits));
        }

        table.Write(output, "  ");
    }

    private static void WriteSession(SessionReport session, TextWriter output)
    {
        output.WriteLine($"session {session.Id} ({(session.IsClient ? "client" : "server")}): {Plural(session.Subflows.Count, "subflow")}, {Plural(session.Streams.Count, "stream")}, {Invariant(session.SchedulerInvocations)} scheduler invocations");
        if (session.Paths.Count > 0)
        {
            var paths = new TextTable(">path", "remote", "local", "backup", "removed");
            foreach (var path in session.Paths)
            {
                paths.Add(Invariant(path.Id), path.Remote, path.Local ?? "", YesNo(path.Backup), YesNo(path.Removed));
            }

            paths.Write(output, "  ");
        }

        var subflows = new TextTable(">subflow", ">path", "state", ">rtt ms", ">cwnd", ">in flight", ">sent MB", ">goodput Mbit/s", ">lost");
        foreach (var subflow in session.Subflows)
        {
            subflows.Add(
                Invariant(subflow.Id),
                Invariant(subflow.PathId),
                JsonNamingPolicy.CamelCase.ConvertName(subflow.State.ToString()) + (subflow.Backup ? " (backup)" : ""),
                Fixed(subflow.RttMicroseconds / 1000.0, 2),
                Invariant(subflow.CongestionWindow),
                Invariant(subflow.InFlight),
                Fixed(subflow.BytesSent / 1e6, 3),
                Fixed(subflow.GoodputBytesPerSecond * 8 / 1e6, 3),
                Invariant(subflow.LostPackets));
        }

        subflows.Write(output, "  ");
        if (session.Streams.Count == 0)
        {
            return;
        }

        var streams = new TextTable(">stream", "scheduler", ">written MB", ">read MB", ">reinjected MB", ">reorder wait ms");
        foreach (var stream in session.Streams)
        {
            streams.Add(
                Invariant(stream.Id),
                stream.Scheduler,
                Fixed(stream.BytesWritten / 1e6, 3),
                Fixed(stream.BytesRead / 1e6, 3),
                Fixed(stream.ReinjectedBytes / 1e6, 3),
                Fixed(stream.MeanReorderWaitMilliseconds, 2));
        }

        streams.Write(output, "  ");
    }

    private static string Fixed(double value, int decimals) => value.ToString("F" + Invariant(decimals), CultureInfo.InvariantCulture);

    private static string YesNo(bool value) => value ? "yes" : "no";
}
