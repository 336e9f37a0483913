using System.Globalization;

namespace ProgMp.Cli.Demo;

/// <summary>The table printed at the end of a demo run.</summary>
internal static class DemoSummary
{
    /// <summary>A gap at the reader that starts this soon after the failure is the failover's.</summary>
    private static readonly TimeSpan FailoverWindow = TimeSpan.FromSeconds(1);

    public static void Write(DemoOutcome outcome, TextWriter output)
    {
        var plan = outcome.Plan;
        var paths = plan.Settings.Paths;
        var samples = outcome.Recorder.Samples;
        output.WriteLine();
        if (samples.Count < 2)
        {
            // Nothing was measured: the session did not come up, or the run was stopped at once.
            output.WriteLine(Integrity(outcome));
            return;
        }

        output.WriteLine("Summary");
        WritePhases(outcome, output);
        WritePaths(outcome, output);

        var probe = outcome.Probe;
        var elapsed = probe.LastByte;
        var goodput = elapsed > TimeSpan.Zero ? probe.BytesRead * 8 / elapsed.TotalSeconds / 1e6 : 0;
        var capacity = paths.Sum(p => p.RateMbitPerSecond);
        Row(output, "delivered", string.Create(CultureInfo.InvariantCulture, $"{probe.BytesRead:N0} bytes in {Units.Seconds(elapsed)}: goodput {Units.Mbit(goodput)} Mbit/s of the {Units.Number(capacity, "0.###")} Mbit/s the paths carry"));
        if (outcome.Sender is { } sender)
        {
            Row(output, "reinjected", $"{Units.Bytes(sender.ReinjectedBytes)} (put back in RQ by the engine when a subflow failed or timed out)");
            Row(output, "retransmitted", $"{Units.Bytes(sender.RetransmittedBytes)} (sent again after an earlier copy, redundant copies included)");
        }

        if (outcome.Receiver is { } receiver)
        {
            Row(output, "duplicates", $"{Units.Bytes(receiver.DuplicateBytesReceived)} received and dropped by the receiver");
            Row(output, "reorder wait", $"mean {Units.Number(receiver.MeanReorderWaitMilliseconds, "0.0")} ms, max {Units.Number(receiver.MaxReorderWaitMilliseconds, "0")} ms for bytes that arrived out of order");
        }

        var longest = probe.LongestGap;
        Row(output, "longest stall", longest.Length == TimeSpan.Zero
            ? "none measured"
            : $"{Units.Milliseconds(longest.Length)} without a byte at the reader, {Units.Number(longest.Start.TotalSeconds, "0.00")}-{Units.Number(longest.End.TotalSeconds, "0.00")} s (phase {plan.PhaseOf(longest).Number}, {plan.PhaseOf(longest).Label})");
        if (outcome.FailedAt is { } failedAt)
        {
            Row(output, "time to fail over", Failover(probe.Gaps, failedAt, plan.FailingPath));
        }

        if (outcome.RestoredAt is { } restoredAt)
        {
            Row(output, "path back", outcome.BackAt is { } backAt
                ? $"{plan.FailingPath} active again {Units.Number((backAt - restoredAt).TotalSeconds, "0.0")} s after it was restored, re-opened by the client itself"
                : $"{plan.FailingPath} did not come back before the end");
        }

        output.WriteLine();
        output.WriteLine(Integrity(outcome));
    }

    private static void WritePhases(DemoOutcome outcome, TextWriter output)
    {
        var plan = outcome.Plan;
        var paths = plan.Settings.Paths;
        var samples = outcome.Recorder.Samples;
        output.WriteLine();
        output.WriteLine($"  {"phase",-24} {"time",-12} {"scheduler",-14} {"goodput",8}" + string.Concat(paths.Select(p => $" {Clip(p.Name, 8),8}")) + "  (Mbit/s)");
        foreach (var phase in plan.Phases)
        {
            var first = samples.FirstOrDefault(s => s.Time >= phase.Start);
            var last = samples.LastOrDefault(s => s.Time <= phase.End);
            if (first is null || last is null || last.Time <= first.Time)
            {
                continue;
            }

            var time = string.Create(CultureInfo.InvariantCulture, $"{phase.Start.TotalSeconds:0.0}-{phase.End.TotalSeconds:0.0} s");
            var line = $"  {Clip($"{phase.Number} {phase.Label}", 24),-24} {time,-12} {Clip(phase.Scheduler, 14),-14} {Units.Mbit(TransferRecorder.Rate(first, last, -1)),8}";
            for (var i = 0; i < paths.Count; i++)
            {
                line += $" {Units.Mbit(TransferRecorder.Rate(first, last, i)),8}";
            }

            output.WriteLine(line);
        }

        output.WriteLine();
    }

    private static void WritePaths(DemoOutcome outcome, TextWriter output)
    {
        var paths = outcome.Plan.Settings.Paths;
        var last = outcome.Recorder.Samples[^1];
        var total = last.Paths.Sum(p => p.BytesSent);
        output.WriteLine($"  {"path",-12} {"link",-20} {"payload sent",12} {"share",6} {"sent again",11}");
        for (var i = 0; i < paths.Count; i++)
        {
            var sent = last.Paths[i].BytesSent;
            var share = total == 0 ? 0 : 100.0 * sent / total;
            output.WriteLine($"  {paths[i].Name,-12} {paths[i].Describe(),-20} {Units.Bytes(sent),12} {Units.Number(share, "0") + " %",6} {Units.Bytes(last.Paths[i].RetransmittedBytes),11}");
        }

        output.WriteLine();
    }

    private static string Failover(IReadOnlyList<DeliveryGap> gaps, TimeSpan failedAt, string path)
    {
        DeliveryGap? failover = null;
        foreach (var gap in gaps)
        {
            if (gap.End > failedAt && gap.Start < failedAt + FailoverWindow && (failover is null || gap.Length > failover.Value.Length))
            {
                failover = gap;
            }
        }

        return failover is { } found
            ? $"{Units.Milliseconds(found.End - failedAt)} from the reset of {path} until the reader got data again"
            : $"no gap of {Units.Milliseconds(ReceiveProbe.NotableGap)} or more at the reader after the reset of {path}: it kept getting data";
    }

    private static string Integrity(DemoOutcome outcome)
    {
        if (outcome.Verified)
        {
            return $"integrity: verified (SHA-256 {Convert.ToHexStringLower(outcome.WrittenHash!)})";
        }

        if (outcome.Problem == DemoRunner.Interrupted)
        {
            return string.Create(CultureInfo.InvariantCulture, $"integrity: not checked, the run was interrupted (the reader got {outcome.Probe.BytesRead:N0} of {outcome.BytesWritten:N0} bytes written)");
        }

        if (outcome.Problem is { } problem)
        {
            return string.Create(CultureInfo.InvariantCulture, $"integrity: FAILED, the transfer did not complete: {problem} (the reader got {outcome.Probe.BytesRead:N0} of {outcome.BytesWritten:N0} bytes written)");
        }

        if (outcome.Probe.BytesRead != outcome.BytesWritten)
        {
            return string.Create(CultureInfo.InvariantCulture, $"integrity: FAILED, the reader got {outcome.Probe.BytesRead:N0} bytes but {outcome.BytesWritten:N0} were written");
        }

        return $"integrity: FAILED, SHA-256 differs: written {Hex(outcome.WrittenHash)}, read {Hex(outcome.Probe.Hash)}";
    }

    private static string Hex(byte[]? hash) => hash is null ? "(none)" : Convert.ToHexStringLower(hash);

    private static void Row(TextWriter output, string name, string text) => output.WriteLine($"  {name,-19} {text}");

    private static string Clip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
