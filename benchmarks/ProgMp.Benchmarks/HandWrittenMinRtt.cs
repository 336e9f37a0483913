using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Model;

namespace ProgMp.Benchmarks;

/// <summary>
/// <c>schedulers/minRtt.progmp</c> written by hand in C# against the same Runtime model: what the
/// compiled delegate is measured against. It decides exactly as the program does, but the way a
/// person would write it: the candidate list is built once (the program's VAR), and each
/// FILTER-then-MIN is one loop that keeps no list; the backup rule is one pass that asks whether any
/// regular subflow is there.
/// </summary>
internal static class HandWrittenMinRtt
{
    public static void Decide(SchedulerContext context)
    {
        var subflows = context.Subflows;
        var anyRegular = false;
        for (var i = 0; i < subflows.Count && !anyRegular; i++)
        {
            anyRegular = !subflows.ItemAt(i).IsBackup;
        }

        var candidates = context.RentSubflows();
        for (var i = 0; i < subflows.Count; i++)
        {
            var s = subflows.ItemAt(i);
            if ((!s.IsBackup || !anyRegular) && s.Cwnd > s.InFlight + s.Queued && !s.Throttled && !s.Lossy)
            {
                candidates.Add(s);
            }
        }

        if (candidates.IsEmpty)
        {
            return;
        }

        if (context.RQ.Top is { } retransmit && Fastest(candidates, retransmit, notSentOn: true) is { } forRetransmit)
        {
            context.Push(forRetransmit, context.Pop(context.RQ)!);
            return;
        }

        if (context.Q.Top is { } next && Fastest(candidates, next, notSentOn: false) is { } forNext)
        {
            context.Push(forNext, context.Pop(context.Q)!);
        }
    }

    /// <summary>The first candidate with the least RTT that has window for the packet (and has not sent it).</summary>
    private static SubflowView? Fastest(SubflowList candidates, Packet packet, bool notSentOn)
    {
        SubflowView? best = null;
        for (var i = 0; i < candidates.Count; i++)
        {
            var s = candidates.ItemAt(i);
            if (s.HasWindowFor(packet) && !(notSentOn && packet.IsSentOn(s)) && (best is null || s.Rtt < best.Rtt))
            {
                best = s;
            }
        }

        return best;
    }
}
