using System.Globalization;
using System.Text;
using ProgMp.Runtime;
using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Model;

namespace ProgMp.Compiler.Tests.Interpretation;

/// <summary>
/// Everything one invocation did, as text that two evaluators must agree on line for line: the
/// actions in order, the queues, registers and subflow USER values afterwards, the packets put back,
/// and an exception if one escaped.
/// </summary>
internal sealed record InvocationOutcome(IReadOnlyList<string> Actions, string Queues, string Registers, string SubflowUsers, string PutBack, string Flags, string? Failure)
{
    public static InvocationOutcome Run(SchedulerProgram program, StateDescription state) =>
        Run(state, context => context.Invoke(program));

    /// <summary>Whatever <paramref name="invoke"/> does to a fresh context for the state: one invocation, however run.</summary>
    public static InvocationOutcome Run(StateDescription state, Action<SchedulerContext> invoke)
    {
        var context = state.CreateContext();
        string? failure = null;
        try
        {
            invoke(context);
        }
#pragma warning disable CA1031 // An exception is an outcome to compare, not a test failure by itself.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = $"{e.GetType().Name}: {e.Message}";
        }

        var actions = new List<string>();
        foreach (var action in context.Actions)
        {
            actions.Add(Describe(action));
        }

        var users = new StringBuilder();
        foreach (var subflow in state.Subflows)
        {
            users.Append(CultureInfo.InvariantCulture, $"{subflow.Id}:{context.SubflowUser[subflow.Slot]} ");
        }

        return new InvocationOutcome(
            actions,
            $"q [{Seqs(context.Q)}] qu [{Seqs(context.QU)}] rq [{Seqs(context.RQ)}]",
            string.Join(", ", context.Registers),
            users.ToString(),
            string.Join(", ", context.PutBack.ToArray().Select(p => p.Seq)),
            $"pushes {context.PushCount}, changed {context.ChangedState}",
            failure);
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("actions:\n");
        foreach (var action in Actions)
        {
            text.Append("  ").Append(action).Append('\n');
        }

        text.Append(Queues).Append('\n');
        text.Append("registers ").Append(Registers).Append('\n');
        text.Append("subflow users ").Append(SubflowUsers).Append('\n');
        text.Append("put back [").Append(PutBack).Append("]\n");
        text.Append(Flags).Append('\n');
        if (Failure is not null)
        {
            text.Append("threw ").Append(Failure).Append('\n');
        }

        return text.ToString();
    }

    private static string Describe(SchedulerAction action) => action.Kind switch
    {
        SchedulerActionKind.Push => string.Create(CultureInfo.InvariantCulture, $"push subflow {action.Subflow!.Id} seq {action.Packet!.Seq}"),
        SchedulerActionKind.Drop => string.Create(CultureInfo.InvariantCulture, $"drop seq {action.Packet!.Seq}"),
        SchedulerActionKind.Set => string.Create(CultureInfo.InvariantCulture, $"set R{action.Register} {action.Value}"),
        SchedulerActionKind.SetUser => string.Create(CultureInfo.InvariantCulture, $"setUser subflow {action.Subflow!.Id} {action.Value}"),
        _ => $"print \"{action.Text}\"",
    };

    private static string Seqs(PacketList list)
    {
        var seqs = new long[list.Count];
        for (var i = 0; i < seqs.Length; i++)
        {
            seqs[i] = list.ItemAt(i).Seq;
        }

        return string.Join(", ", seqs);
    }
}
