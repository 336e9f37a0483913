using System.Text.RegularExpressions;

namespace ProgMp.Compiler.Tests.Execution;

/// <summary>
/// LANGUAGE.md's execution model for the straight-line statements <see cref="OrderingModelTests"/>
/// generates, on plain lists of sequence numbers: the expected actions, queues and put-backs, written
/// as <see cref="Interpretation.InvocationOutcome"/> prints them.
/// </summary>
internal static partial class OrderingModel
{
    public static readonly long[] InitialQ = [10, 20, 30];
    public static readonly long[] InitialQU = [1, 2, 3];
    public static readonly long[] InitialRQ = [3, 1];

    public static string Run(string body)
    {
        var lists = new Dictionary<string, List<long>>
        {
            ["Q"] = [.. InitialQ],
            ["QU"] = [.. InitialQU],
            ["RQ"] = [.. InitialRQ],
        };
        var variables = new Dictionary<string, long?>();
        var pops = new List<(long Seq, string Source, int Index)>();
        var actions = new List<(string Op, long Seq)>();

        long? Top(string list) => lists[list].Count > 0 ? lists[list][0] : null;

        long? Pop(string list)
        {
            if (Top(list) is not { } seq)
            {
                return null;
            }

            lists[list].RemoveAt(0);
            if (list == "Q")
            {
                InsertSorted(lists["QU"], seq);
            }

            pops.Add((seq, list, 0));
            return seq;
        }

        long? Value(string expression) => expression switch
        {
            _ when expression.EndsWith(".TOP", StringComparison.Ordinal) => Top(expression[..^4]),
            _ when expression.EndsWith(".POP()", StringComparison.Ordinal) => Pop(expression[..^6]),
            _ => variables[expression],
        };

        foreach (var line in body.Split('\n', ';').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            if (PushPattern().Match(line) is { Success: true } push)
            {
                if (Value(push.Groups[1].Value) is { } seq)
                {
                    actions.Add(("push subflow 1 seq", seq));
                }
            }
            else if (DropPattern().Match(line) is { Success: true } drop)
            {
                if (Value(drop.Groups[1].Value) is { } seq)
                {
                    actions.Add(("drop seq", seq));
                }
            }
            else if (VoidPattern().Match(line) is { Success: true } pop)
            {
                Value(pop.Groups[1].Value);
            }
            else if (VarPattern().Match(line) is { Success: true } declaration)
            {
                variables[declaration.Groups[1].Value] = Value(declaration.Groups[2].Value);
            }
            else
            {
                throw new ArgumentException("The model does not know this statement: " + line);
            }
        }

        // A push or a drop counts wherever it happened; the rest goes back, last popped first.
        var putBack = new List<long>();
        for (var i = pops.Count - 1; i >= 0; i--)
        {
            var (seq, source, index) = pops[i];
            if (actions.Any(a => a.Seq == seq))
            {
                continue;
            }

            if (source == "Q")
            {
                lists["QU"].Remove(seq);
                InsertSorted(lists["Q"], seq);
            }
            else
            {
                lists[source].Insert(Math.Min(index, lists[source].Count), seq);
            }

            putBack.Add(seq);
        }

        return $"{string.Join("; ", actions.Select(a => $"{a.Op} {a.Seq}"))} | "
            + $"q [{string.Join(", ", lists["Q"])}] qu [{string.Join(", ", lists["QU"])}] rq [{string.Join(", ", lists["RQ"])}] | "
            + $"put back [{string.Join(", ", putBack)}]";
    }

    private static void InsertSorted(List<long> list, long seq)
    {
        var at = list.BinarySearch(seq);
        list.Insert(at < 0 ? ~at : at, seq);
    }

    [GeneratedRegex(@"^SUBFLOWS\.GET\(0\)\.PUSH\((.+)\)$")]
    private static partial Regex PushPattern();

    [GeneratedRegex(@"^DROP\((.+)\)$")]
    private static partial Regex DropPattern();

    [GeneratedRegex(@"^VOID\((.+)\)$")]
    private static partial Regex VoidPattern();

    [GeneratedRegex(@"^VAR (\w+) = (.+)$")]
    private static partial Regex VarPattern();
}
