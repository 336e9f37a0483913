using System.Globalization;
using ProgMp.Compiler;
using ProgMp.Runtime.Evaluation;
using ProgMp.Runtime.Execution;

namespace ProgMp.Cli.Demo;

/// <summary>
/// <c>progmp demo --decisions</c>: the language half of the demo, without a network. Every built-in
/// scheduler compiled and deciding on the same two-path situation, so that the differences between
/// policies are visible at a glance.
/// </summary>
internal static class DecisionsDemo
{
    // A WiFi path that is fast but nearly full, an LTE path that is slow with room, a lost packet waiting
    // for retransmission, and the application steering packet 3000 to LTE with user value 2.
    private const string Scenario = """
        {
          "timeMs": 1000,
          "subflows": [
            { "id": 1, "rtt": 10000, "rttVar": 1000, "cwnd": 10, "inFlight": 8, "queued": 1, "window": 1000000 },
            { "id": 2, "rtt": 40000, "rttVar": 4000, "cwnd": 20, "inFlight": 3, "backup": true, "window": 1000000 }
          ],
          "q":  [ { "seq": 2800 }, { "seq": 4200, "user": 2 }, { "seq": 5600 } ],
          "qu": [ { "seq": 0, "sentOn": [1] }, { "seq": 1400, "sentOn": [1] } ],
          "rq": [ { "seq": 1400 } ]
        }
        """;

    public static int Run(TextWriter output, TextWriter error)
    {
        if (!EvalStateReader.TryRead(Scenario, out _, out var problem))
        {
            error.WriteLine($"progmp: demo scenario: {problem}");
            return ProgMpCommand.ExitUsage;
        }

        output.WriteLine("ProgMp demo: every built-in scheduler, one decision on the same situation.");
        output.WriteLine("  subflow 1 'wifi': RTT 10 ms, cwnd 10, 8 in flight + 1 queued (room for 1 more)");
        output.WriteLine("  subflow 2 'lte' : RTT 40 ms, cwnd 20, 3 in flight, marked backup");
        output.WriteLine("  Q: 2800, 4200 (user value 2), 5600    QU: 0, 1400    RQ: 1400 (lost, sent on wifi)");
        output.WriteLine();
        foreach (var program in SchedulerLibrary.Programs)
        {
            EvalStateReader.TryRead(Scenario, out var state, out _);
            var context = EvalRunner.Run(program, state!);
            output.WriteLine($"{program.Name,-32} {Describe(context)}");
        }

        output.WriteLine();
        output.WriteLine("Try one yourself: progmp eval schedulers/minRtt.progmp --state STATE.json (format in docs/language.md).");
        return ProgMpCommand.ExitOk;
    }

    private static string Describe(SchedulerContext context)
    {
        var parts = new List<string>();
        foreach (var action in context.Actions)
        {
            parts.Add(action.Kind switch
            {
                SchedulerActionKind.Push => string.Create(CultureInfo.InvariantCulture, $"push {action.Packet!.Seq} on {(action.Subflow!.Id == 1 ? "wifi" : "lte")}"),
                SchedulerActionKind.Drop => string.Create(CultureInfo.InvariantCulture, $"drop {action.Packet!.Seq}"),
                SchedulerActionKind.Set => string.Create(CultureInfo.InvariantCulture, $"R{action.Register} = {action.Value}"),
                SchedulerActionKind.SetUser => string.Create(CultureInfo.InvariantCulture, $"subflow {action.Subflow!.Id} user = {action.Value}"),
                _ => $"print \"{action.Text}\"",
            });
        }

        return parts.Count == 0 ? "waits (sends nothing now)" : string.Join(", ", parts);
    }
}
