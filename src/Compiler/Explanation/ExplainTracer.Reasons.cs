using ProgMp.Compiler.Binding;
using ProgMp.Compiler.Interpretation;
using ProgMp.Compiler.Syntax;
using ProgMp.Compiler.Text;

namespace ProgMp.Compiler.Explanation;

internal sealed partial class ExplainTracer
{
    /// <summary>
    /// A condition's or a FILTER lambda's value and, briefly, why: the parts that decided it. For AND
    /// that is the first part that was not TRUE (or all parts when it is TRUE), for OR the first TRUE
    /// part (or all parts when it is FALSE); a comparison shows the values it compared.
    /// </summary>
    private string Verdict(BoundExpression condition)
    {
        var (value, reasons) = Decided(condition);
        return reasons.Count == 0 ? value.TrimEnd(',') : $"{value} because {string.Join(" and ", reasons)}";
    }

    /// <summary>The value as <see cref="Verdict"/> shows it, and the parts that decided it, one each.</summary>
    private (string Value, List<string> Reasons) Decided(BoundExpression condition)
    {
        var value = Value(condition);
        var text = ExplainText.Show(value);
        var reasons = new List<string>();
        if (condition is BoundBinary comparison && IsComparison(comparison.Operator))
        {
            text += $" ({Compared(comparison)})";
            AddNullOrigin(comparison.Left, reasons);
            AddNullOrigin(comparison.Right, reasons);
        }
        else if (condition is BoundBinary { Operator: BinaryOperator.And or BinaryOperator.Or } or BoundUnary { Operator: UnaryOperator.Not })
        {
            Explain(condition, reasons);
        }
        else
        {
            AddNullOrigin(condition, reasons);
        }

        return (value.IsNull ? text + ", which counts as FALSE," : text, reasons);
    }

    /// <summary>Adds the parts that decided a boolean, visiting only parts that were evaluated.</summary>
    private void Explain(BoundExpression expression, List<string> reasons)
    {
        var value = Value(expression);
        switch (expression)
        {
            case BoundBinary { Operator: BinaryOperator.And } and:
                if (value.IsTrue)
                {
                    Explain(and.Left, reasons);
                    Explain(and.Right, reasons);
                }
                else
                {
                    Explain(Value(and.Left).IsTrue ? and.Right : and.Left, reasons);
                }

                return;

            case BoundBinary { Operator: BinaryOperator.Or } or:
                if (value.IsTrue)
                {
                    Explain(Value(or.Left).IsTrue ? or.Left : or.Right, reasons);
                }
                else
                {
                    Explain(or.Left, reasons);
                    Explain(or.Right, reasons);
                }

                return;

            case BoundUnary { Operator: UnaryOperator.Not } not:
                Explain(not.Operand, reasons);
                return;

            case BoundBinary comparison when IsComparison(comparison.Operator):
                reasons.Add($"{Text(comparison.Span)} is {ExplainText.Show(value)} ({Compared(comparison)})");
                AddNullOrigin(comparison.Left, reasons);
                AddNullOrigin(comparison.Right, reasons);
                return;

            default:
                reasons.Add(value.IsNull ? NullStory(expression) : $"{Text(expression.Span)} is {ExplainText.Show(value)}");
                return;
        }
    }

    private string Compared(BoundBinary comparison) =>
        $"{ExplainText.Show(Value(comparison.Left))} {BinaryOperatorText.Of(comparison.Operator)} {ExplainText.Show(Value(comparison.Right))}";

    /// <summary>For a NULL operand whose NULL came from deeper inside it: where it came from.</summary>
    private void AddNullOrigin(BoundExpression expression, List<string> reasons)
    {
        if (Value(expression).IsNull && NullOrigin(expression) is var origin && !ReferenceEquals(origin, expression))
        {
            reasons.Add($"{Text(origin.Span)} is NULL");
        }
    }

    /// <summary>"x is NULL", and when the NULL came from a part of x, that part too.</summary>
    private string NullStory(BoundExpression expression)
    {
        var origin = NullOrigin(expression);
        var story = $"{Text(expression.Span)} is NULL";
        return ReferenceEquals(origin, expression) ? story : $"{story} because {Text(origin.Span)} is NULL";
    }

    /// <summary>
    /// The innermost part a NULL came from: the first NULL operand, in evaluation order, followed down.
    /// Operands after the first NULL one were not evaluated, so they are never looked at.
    /// </summary>
    private BoundExpression NullOrigin(BoundExpression expression)
    {
        foreach (var operand in Operands(expression))
        {
            if (Value(operand).IsNull)
            {
                return NullOrigin(operand);
            }
        }

        return expression;
    }

    /// <summary>An expression's operands in evaluation order; a lambda's body is not one (it runs per element).</summary>
    private static BoundExpression[] Operands(BoundExpression expression) => expression switch
    {
        BoundUnary e => [e.Operand],
        BoundBinary e => [e.Left, e.Right],
        BoundPacketProperty e => [e.Target],
        BoundSentOn e => [e.Target, e.Subflow],
        BoundSubflowProperty e => [e.Target],
        BoundHasWindowFor e => [e.Target, e.Packet],
        BoundListOperation { Index: { } index } e => [e.List, index],
        BoundListOperation e => [e.List],
        BoundLambdaOperation e => [e.List],
        _ => [],
    };

    private static BoundExpression[] ExpressionsOf(BoundStatement statement) => statement switch
    {
        BoundVar s => [s.Initializer],
        BoundIf s => [s.Condition],
        BoundForeach s => [s.List],
        BoundPush s => [s.Subflow, s.Packet],
        BoundSetUser s => [s.Subflow, s.Value],
        BoundDrop s => [s.Packet],
        BoundSet s => [s.Value],
        BoundPrint { Value: { } value } => [value],
        BoundVoid { Value: { } value } => [value],
        _ => [],
    };

    private static int CountLambdas(BoundExpression expression) =>
        (expression is BoundLambdaOperation ? 1 : 0) + Operands(expression).Sum(CountLambdas);

    private static bool IsComparison(BinaryOperator op) => op is BinaryOperator.Equal or BinaryOperator.NotEqual
        or BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual;

    /// <summary>FILTER, MIN, MAX or SUM; with its lambda when the statement has more than one, to tell them apart.</summary>
    private string Label(BoundLambdaOperation operation, ExplainStatementFrame statement)
    {
        var name = operation.Operation.ToString().ToUpperInvariant();
        if (!statement.LabelLambdas)
        {
            return name;
        }

        var start = operation.Parameter.Declaration.Start;
        return $"{name}({Text(TextSpan.FromBounds(start, operation.Body.Span.End))})";
    }

    /// <summary>How a statement is shown: IF and FOREACH by their head, the others as written.</summary>
    private string Header(BoundStatement statement) => statement switch
    {
        BoundIf s => $"IF ({Text(s.Condition.Span)})",
        BoundForeach s => $"FOREACH (VAR {s.Variable.Name} IN {Text(s.List.Span)})",
        _ => Text(statement.Span).TrimEnd(';', ' '),
    };

    private string Text(TextSpan span)
    {
        var start = Math.Clamp(span.Start, 0, _text.Text.Length);
        var end = Math.Clamp(span.End, start, _text.Text.Length);
        return ExplainText.OneLine(_text.Text[start..end]);
    }

    private InterpreterValue Value(BoundExpression expression) =>
        _values.TryGetValue(expression, out var value) ? value : InterpreterValue.Null;
}
