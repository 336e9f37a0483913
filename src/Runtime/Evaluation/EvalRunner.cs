using System.Globalization;
using System.Text;
using System.Text.Json;
using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Model;

namespace ProgMp.Runtime.Evaluation;

/// <summary>
/// One invocation of a program on a described state, and its result as <c>eval</c> prints it. Reports
/// what the program decided: the engine's refusal of unsafe drops comes after, and is not applied here.
/// </summary>
internal static class EvalRunner
{
    public static SchedulerContext Run(SchedulerProgram program, EvalState state)
    {
        ArgumentNullException.ThrowIfNull(program);
        var context = Prepare(state);
        context.Invoke(program);
        return context;
    }

    /// <summary>A context pointed at the state, ready for one invocation by whoever runs it.</summary>
    public static SchedulerContext Prepare(EvalState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var context = new SchedulerContext(new SequenceRandom(state.Random));
        context.Prepare(state.State, state.Subflows, state.SessionMask, state.TimeMs);
        return context;
    }

    /// <summary>The result object: actions in order, then registers and the three queues afterwards.</summary>
    public static string ToJson(SchedulerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("actions");
            foreach (var action in context.Actions)
            {
                json.WriteStartObject();
                switch (action.Kind)
                {
                    case SchedulerActionKind.Push:
                        json.WriteString("op", "push");
                        json.WriteNumber("subflow", action.Subflow!.Id);
                        json.WriteNumber("seq", action.Packet!.Seq);
                        break;
                    case SchedulerActionKind.Drop:
                        json.WriteString("op", "drop");
                        json.WriteNumber("seq", action.Packet!.Seq);
                        break;
                    case SchedulerActionKind.Set:
                        json.WriteString("op", "set");
                        json.WriteNumber("register", action.Register);
                        json.WriteNumber("value", action.Value);
                        break;
                    case SchedulerActionKind.SetUser:
                        json.WriteString("op", "setUser");
                        json.WriteNumber("subflow", action.Subflow!.Id);
                        json.WriteNumber("value", action.Value);
                        break;
                    default:
                        json.WriteString("op", "print");
                        json.WriteString("text", action.Text);
                        break;
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("registers");
            foreach (var register in context.Registers)
            {
                json.WriteNumberValue(register);
            }

            json.WriteEndArray();
            WriteSeqs(json, "q", context.Q);
            WriteSeqs(json, "qu", context.QU);
            WriteSeqs(json, "rq", context.RQ);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One line per popped packet that went back because the program neither pushed nor dropped it.</summary>
    public static IEnumerable<string> Warnings(SchedulerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var lines = new List<string>();
        foreach (var packet in context.PutBack)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"warning: packet {packet.Seq} was popped but neither pushed nor dropped; it was put back"));
        }

        return lines;
    }

    private static void WriteSeqs(Utf8JsonWriter json, string name, PacketList list)
    {
        json.WriteStartArray(name);
        for (var i = 0; i < list.Count; i++)
        {
            json.WriteNumberValue(list.ItemAt(i).Seq);
        }

        json.WriteEndArray();
    }
}
