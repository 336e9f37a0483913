using System.Globalization;
using System.Text;
using ProgMp.Compiler.Interpretation;
using ProgMp.Compiler.Syntax;
using ProgMp.Runtime.Model;

namespace ProgMp.Compiler.Explanation;

/// <summary>
/// How an explanation shows values: as the language shows them (a subflow by its ID, a packet by its
/// SEQ, NULL as NULL), with a word in front so that subflow 2, packet 2 and the integer 2 differ.
/// </summary>
internal static class ExplainText
{
    public static string Show(in InterpreterValue value) => value.Kind switch
    {
        InterpreterValueKind.Null => "NULL",
        InterpreterValueKind.Integer => Number(value.Integer),
        InterpreterValueKind.Boolean => value.Boolean ? "TRUE" : "FALSE",
        InterpreterValueKind.Subflow => Subflow(value.Subflow),
        InterpreterValueKind.Packet => Packet(value.Packet),
        InterpreterValueKind.PacketList => "packets " + Seqs(value.PacketList),
        InterpreterValueKind.SubflowList => "subflows " + Ids(value.SubflowList),
        _ => value.Kind.ToString(),
    };

    /// <summary>An element of a list whose kind the line already names: just its ID or SEQ.</summary>
    public static string ShowBare(in InterpreterValue value) => value.Kind switch
    {
        InterpreterValueKind.Subflow => Number(value.Subflow.Id),
        InterpreterValueKind.Packet => Number(value.Packet.Seq),
        _ => Show(value),
    };

    public static string Subflow(SubflowView subflow) => "subflow " + Number(subflow.Id);

    public static string Packet(Packet packet) => "packet " + Number(packet.Seq);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Seqs(PacketList list)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < list.Count; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(Number(list.ItemAt(i).Seq));
        }

        return text.Append(']').ToString();
    }

    public static string Ids(SubflowList list)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < list.Count; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(Number(list.ItemAt(i).Id));
        }

        return text.Append(']').ToString();
    }

    public static string Registers(long[] registers) =>
        "[" + string.Join(", ", registers.Select(Number)) + "]";

    public static string Queue(PacketListKind kind) => kind switch
    {
        PacketListKind.Q => "Q",
        PacketListKind.QU => "QU",
        PacketListKind.RQ => "RQ",
        _ => "a list",
    };

    /// <summary>Program text on one line: every run of white space (line breaks too) becomes one space.</summary>
    public static string OneLine(string text)
    {
        var result = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = result.Length > 0;
                continue;
            }

            if (space)
            {
                result.Append(' ');
                space = false;
            }

            result.Append(c);
        }

        return result.ToString();
    }
}
