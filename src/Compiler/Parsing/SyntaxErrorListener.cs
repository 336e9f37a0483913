using System.Text;
using Antlr4.Runtime;
using Antlr4.Runtime.Misc;
using ProgMp.Compiler.Diagnostics;
using ProgMp.Compiler.Parsing.Generated;
using ProgMp.Compiler.Text;

namespace ProgMp.Compiler.Parsing;

/// <summary>
/// Turns ANTLR's syntax errors into PMP0001 diagnostics with our positions and wording. A missing token
/// (say a ';' at the end of a line) is reported right after the token it should follow, as C# does,
/// not at the start of the next line.
/// </summary>
internal sealed class SyntaxErrorListener : BaseErrorListener
{
    private readonly ITokenStream _tokens;
    private readonly DiagnosticBag _diagnostics;
    private int _lastReportedOffset = -1;

    public SyntaxErrorListener(ITokenStream tokens, DiagnosticBag diagnostics)
    {
        _tokens = tokens;
        _diagnostics = diagnostics;
    }

    public override void SyntaxError(TextWriter output, IRecognizer recognizer, IToken offendingSymbol, int line, int charPositionInLine, string msg, RecognitionException e)
    {
        var parser = (Parser)recognizer;
        IntervalSet? expected = null;
        try
        {
            expected = e?.GetExpectedTokens() ?? parser.GetExpectedTokens();
        }
        catch (ArgumentException)
        {
            // ANTLR cannot always compute the expected set after recovery; the message does without.
        }

        var missing = msg.StartsWith("missing ", StringComparison.Ordinal);
        var span = SyntaxParser.Span(offendingSymbol);
        if ((missing || offendingSymbol.Type == TokenConstants.EOF) && offendingSymbol.TokenIndex > 0)
        {
            var previous = _tokens.Get(offendingSymbol.TokenIndex - 1);
            span = new TextSpan(previous.StopIndex + 1, 0);
        }

        // ANTLR may report twice at one place while it recovers; once is enough.
        if (span.Start == _lastReportedOffset)
        {
            return;
        }

        _lastReportedOffset = span.Start;
        var message = new StringBuilder();
        if (missing && expected is not null)
        {
            message.Append(Describe(expected)).Append(" expected");
            if (offendingSymbol.Type != TokenConstants.EOF)
            {
                message.Append(" before ").Append(DescribeToken(offendingSymbol));
            }
        }
        else
        {
            message.Append("unexpected ").Append(DescribeToken(offendingSymbol));
            if (expected is not null && expected.Count > 0)
            {
                message.Append(", expected ").Append(Describe(expected));
            }
        }

        _diagnostics.Report(DiagnosticDescriptors.SyntaxError, span, message.ToString());
    }

    private static string DescribeToken(IToken token) => token.Type switch
    {
        TokenConstants.EOF => "end of file",
        ProgMpLexer.IDENT => $"name '{token.Text}'",
        ProgMpLexer.INT => $"number {token.Text}",
        ProgMpLexer.STRING => "string",
        _ => $"'{token.Text}'",
    };

    private static string Describe(IntervalSet expected)
    {
        var types = expected.ToList();
        if (types.Contains(ProgMpLexer.INT) && types.Contains(ProgMpLexer.IDENT) && types.Contains(ProgMpLexer.LPAREN))
        {
            // Everything that can start an expression: say so instead of listing a dozen tokens.
            return types.Contains(ProgMpLexer.VAR) ? "a statement" : "an expression";
        }

        var names = new List<string>();
        foreach (var type in types)
        {
            names.Add(type switch
            {
                TokenConstants.EOF => "end of file",
                ProgMpLexer.IDENT => "a name",
                ProgMpLexer.INT => "a number",
                ProgMpLexer.STRING => "a string",
                _ => ProgMpLexer.DefaultVocabulary.GetLiteralName(type) ?? ProgMpLexer.DefaultVocabulary.GetDisplayName(type),
            });
        }

        if (names.Count > 6)
        {
            return string.Join(", ", names.Take(6)) + " or another token";
        }

        return names.Count switch
        {
            0 => "something else",
            1 => names[0],
            _ => string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1],
        };
    }
}
