using System.Globalization;
using System.Text;
using ProgMp.Engine;

namespace ProgMp.Proxy.Control;

/// <summary>
/// The Prometheus text exposition format (version 0.0.4) of the endpoint's session reports: HELP and
/// TYPE once per family, then its samples labelled by session, subflow (with its path) or stream.
/// Base units as Prometheus asks: bytes, seconds, packets.
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private const double MicrosecondsPerSecond = 1_000_000.0;

    private static readonly Family<SessionReport>[] s_sessionFamilies =
    [
        new("progmp_session_scheduler_invocations_total", "counter", "Scheduler invocations in the session.", s => s.SchedulerInvocations),
        new("progmp_session_refused_drops_total", "counter", "Unsafe drops of unsent data the engine refused.", s => s.RefusedDrops),
        new("progmp_session_client", "gauge", "1 on the client's side of the session, 0 on the server's.", s => s.IsClient ? 1 : 0),
    ];

    private static readonly Family<SubflowReport>[] s_subflowFamilies =
    [
        new("progmp_subflow_sent_bytes_total", "counter", "Payload bytes written to the subflow, every copy counted.", s => s.BytesSent),
        new("progmp_subflow_acked_bytes_total", "counter", "Payload bytes acknowledged whose delivery is attributed to the subflow.", s => s.BytesAcked),
        new("progmp_subflow_received_bytes_total", "counter", "Bytes received on the subflow.", s => s.BytesReceived),
        new("progmp_subflow_retransmitted_bytes_total", "counter", "Payload bytes the subflow sent that had been sent before.", s => s.RetransmittedBytes),
        new("progmp_subflow_lost_packets_total", "counter", "Packets counted lost: reinjected after a timeout, plus the kernel's count.", s => s.LostPackets),
        new("progmp_subflow_rtt_seconds", "gauge", "Smoothed data-level round-trip time (RTT).", s => s.RttMicroseconds / MicrosecondsPerSecond),
        new("progmp_subflow_rtt_variation_seconds", "gauge", "Round-trip time variation (RTT_VAR).", s => s.RttVarMicroseconds / MicrosecondsPerSecond),
        new("progmp_subflow_min_rtt_seconds", "gauge", "Least round-trip time seen.", s => s.MinRttMicroseconds / MicrosecondsPerSecond),
        new("progmp_subflow_cwnd_packets", "gauge", "The engine's congestion window (CWND).", s => s.CongestionWindow),
        new("progmp_subflow_in_flight_packets", "gauge", "Packets sent and not yet acknowledged (SKBS_IN_FLIGHT).", s => s.InFlight),
        new("progmp_subflow_queued_packets", "gauge", "Packets pushed to the subflow and not yet written to its socket (QUEUED).", s => s.Queued),
        new("progmp_subflow_send_bytes_per_second", "gauge", "Payload bytes sent over the last second (BW_OUT_SEND).", s => s.SendBytesPerSecond),
        new("progmp_subflow_goodput_bytes_per_second", "gauge", "Payload bytes acknowledged over the last second (BW_OUT_ACK).", s => s.GoodputBytesPerSecond),
        new("progmp_subflow_active", "gauge", "1 while the subflow is active, 0 while it is suspected.", s => s.State == SubflowState.Active ? 1 : 0),
        new("progmp_subflow_backup", "gauge", "1 for a backup subflow (IS_BACKUP).", s => s.Backup ? 1 : 0),
    ];

    private static readonly Family<StreamReport>[] s_streamFamilies =
    [
        new("progmp_stream_written_bytes_total", "counter", "Bytes the application wrote to the stream.", s => s.BytesWritten),
        new("progmp_stream_acked_bytes_total", "counter", "Written bytes the peer acknowledged at the data level.", s => s.BytesAcked),
        new("progmp_stream_read_bytes_total", "counter", "Bytes the application read from the stream.", s => s.BytesRead),
        new("progmp_stream_retransmitted_bytes_total", "counter", "Bytes handed to a subflow again after an earlier copy.", s => s.RetransmittedBytes),
        new("progmp_stream_reinjected_bytes_total", "counter", "Bytes the engine put in RQ because their subflows failed or timed out.", s => s.ReinjectedBytes),
        new("progmp_stream_reordered_bytes_total", "counter", "Received bytes that waited in the reorder buffer.", s => s.ReorderedBytes),
        new("progmp_stream_duplicate_received_bytes_total", "counter", "Received bytes dropped as copies.", s => s.DuplicateBytesReceived),
        new("progmp_stream_scheduler_invocations_total", "counter", "Invocations of the stream's scheduler.", s => s.SchedulerInvocations),
        new("progmp_stream_refused_drops_total", "counter", "Unsafe drops the engine refused for the stream.", s => s.RefusedDrops),
        new("progmp_stream_queued_packets", "gauge", "Packets in Q.", s => s.QueuedPackets),
        new("progmp_stream_unacknowledged_packets", "gauge", "Packets in QU.", s => s.UnacknowledgedPackets),
        new("progmp_stream_mean_reorder_wait_seconds", "gauge", "Mean time a reordered byte waited.", s => s.MeanReorderWaitMilliseconds / 1000.0),
    ];

    public static string Write(IReadOnlyList<SessionReport> sessions, IReadOnlyList<LimitReport> limits, int schedulers, string defaultScheduler)
    {
        var text = new StringBuilder();
        Header(text, "progmp_sessions", "gauge", "Live multipath sessions.");
        Sample(text, "progmp_sessions", "", sessions.Count);
        Header(text, "progmp_limit_hits_total", "counter", "Times peers reached a resource bound (MultipathLimits) since the host started.");
        foreach (var limit in limits)
        {
            Sample(text, "progmp_limit_hits_total", Labels(("limit", limit.Limit)), limit.Hits);
        }

        Header(text, "progmp_schedulers_loaded", "gauge", "Schedulers loaded in the registry.");
        Sample(text, "progmp_schedulers_loaded", "", schedulers);
        Header(text, "progmp_default_scheduler_info", "gauge", "The scheduler new streams run.");
        Sample(text, "progmp_default_scheduler_info", Labels(("scheduler", defaultScheduler)), 1);

        foreach (var family in s_sessionFamilies)
        {
            Header(text, family.Name, family.Type, family.Help);
            foreach (var session in sessions)
            {
                Sample(text, family.Name, Labels(("session", session.Id)), family.Value(session));
            }
        }

        foreach (var family in s_subflowFamilies)
        {
            Header(text, family.Name, family.Type, family.Help);
            foreach (var session in sessions)
            {
                foreach (var subflow in session.Subflows)
                {
                    var labels = Labels(("session", session.Id), ("subflow", Invariant(subflow.Id)), ("path", Invariant(subflow.PathId)));
                    Sample(text, family.Name, labels, family.Value(subflow));
                }
            }
        }

        foreach (var family in s_streamFamilies)
        {
            Header(text, family.Name, family.Type, family.Help);
            foreach (var session in sessions)
            {
                foreach (var stream in session.Streams)
                {
                    Sample(text, family.Name, Labels(("session", session.Id), ("stream", Invariant(stream.Id))), family.Value(stream));
                }
            }
        }

        Header(text, "progmp_stream_scheduler_info", "gauge", "The scheduler each stream runs.");
        foreach (var session in sessions)
        {
            foreach (var stream in session.Streams)
            {
                Sample(text, "progmp_stream_scheduler_info", Labels(("session", session.Id), ("stream", Invariant(stream.Id)), ("scheduler", stream.Scheduler)), 1);
            }
        }

        Header(text, "progmp_stream_register", "gauge", "Registers R1-R6 of each stream.");
        foreach (var session in sessions)
        {
            foreach (var stream in session.Streams)
            {
                for (var i = 0; i < stream.Registers.Count; i++)
                {
                    var labels = Labels(("session", session.Id), ("stream", Invariant(stream.Id)), ("register", "R" + Invariant(i + 1)));
                    Sample(text, "progmp_stream_register", labels, stream.Registers[i]);
                }
            }
        }

        return text.ToString();
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append(labels).Append(' ').Append(Number(value)).Append('\n');

    private static string Labels(params (string Name, string Value)[] labels)
    {
        var text = new StringBuilder("{");
        foreach (var (name, value) in labels)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }

            text.Append(name).Append("=\"").Append(Escape(value)).Append('"');
        }

        return text.Append('}').ToString();
    }

    // Label values escape backslash, double quote and line feed (the exposition format's three).
    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) => double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Family<T>(string Name, string Type, string Help, Func<T, double> Value);
}
