using Antlr4.Runtime;
using ProgMp.Compiler.Diagnostics;
using ProgMp.Compiler.Parsing.Generated;
using ProgMp.Compiler.Syntax;
using ProgMp.Compiler.Text;

namespace ProgMp.Compiler.Parsing;

/// <summary>
/// Text to syntax tree. Lexes everything first so that bad characters, unterminated strings and
/// comments, and absurd nesting become diagnostics before ANTLR's recursive parser sees them; then
/// parses with ANTLR's error recovery so that every syntax error of the program is reported.
/// </summary>
internal static class SyntaxParser
{
    /// <summary>Brackets and unary operators nested deeper than this are refused, not parsed.</summary>
    public const int MaxNesting = 256;

    public static ProgramSyntax? Parse(SourceText source, DiagnosticBag diagnostics)
    {
        var tokens = Lex(source, diagnostics);
        if (!CheckNesting(tokens, diagnostics))
        {
            return null;
        }

        var tokenStream = new CommonTokenStream(new ListTokenSource(tokens));
        var parser = new ProgMpParser(tokenStream);
        parser.RemoveErrorListeners();
        parser.AddErrorListener(new SyntaxErrorListener(tokenStream, diagnostics));
        parser.Interpreter.PredictionMode = Antlr4.Runtime.Atn.PredictionMode.SLL;
        var tree = parser.program();
        return new SyntaxTreeBuilder(diagnostics).BuildProgram(tree);
    }

    private static List<IToken> Lex(SourceText source, DiagnosticBag diagnostics)
    {
        var lexer = new ProgMpLexer(new AntlrInputStream(source.Text));
        lexer.RemoveErrorListeners();
        var tokens = new List<IToken>();
        while (true)
        {
            var token = lexer.NextToken();
            switch (token.Type)
            {
                case ProgMpLexer.ERROR_CHAR:
                    diagnostics.Report(DiagnosticDescriptors.UnexpectedCharacter, Span(token), DescribeCharacter(token.Text));
                    continue;
                case ProgMpLexer.UNTERMINATED_COMMENT:
                    diagnostics.Report(DiagnosticDescriptors.UnterminatedComment, new TextSpan(token.StartIndex, 2));
                    continue;
                case ProgMpLexer.UNTERMINATED_STRING:
                    diagnostics.Report(DiagnosticDescriptors.UnterminatedString, Span(token));
                    // Parse on as if the string were closed, so that one mistake gives one error.
                    var closed = new CommonToken(token) { Type = ProgMpLexer.STRING, Text = token.Text + "\"" };
                    tokens.Add(closed);
                    continue;
            }

            if (token.Channel == Lexer.DefaultTokenChannel || token.Type == TokenConstants.EOF)
            {
                tokens.Add(token);
            }

            if (token.Type == TokenConstants.EOF)
            {
                return tokens;
            }
        }
    }

    private static bool CheckNesting(List<IToken> tokens, DiagnosticBag diagnostics)
    {
        var depth = 0;
        var unaryRun = 0;
        var previousEndsOperand = false;
        foreach (var token in tokens)
        {
            switch (token.Type)
            {
                case ProgMpLexer.LPAREN or ProgMpLexer.LBRACE:
                    depth++;
                    break;
                case ProgMpLexer.RPAREN or ProgMpLexer.RBRACE:
                    depth = Math.Max(0, depth - 1);
                    break;
                case ProgMpLexer.NOT:
                    unaryRun++;
                    break;
                case ProgMpLexer.MINUS when !previousEndsOperand:
                    unaryRun++;
                    break;
                default:
                    unaryRun = 0;
                    break;
            }

            if (depth + unaryRun > MaxNesting)
            {
                diagnostics.Report(DiagnosticDescriptors.NestingTooDeep, Span(token), MaxNesting);
                return false;
            }

            previousEndsOperand = token.Type is ProgMpLexer.IDENT or ProgMpLexer.INT or ProgMpLexer.TRUE
                or ProgMpLexer.FALSE or ProgMpLexer.NULL or ProgMpLexer.STRING or ProgMpLexer.RPAREN;
        }

        return true;
    }

    internal static TextSpan Span(IToken token) =>
        token.Type == TokenConstants.EOF
            ? new TextSpan(token.StartIndex, 0)
            : TextSpan.FromBounds(token.StartIndex, token.StopIndex + 1);

    private static string DescribeCharacter(string text)
    {
        if (text.Length == 1 && (char.IsControl(text[0]) || char.IsWhiteSpace(text[0]) || text[0] == '\uFFFD'))
        {
            return $"U+{(int)text[0]:X4}";
        }

        return $"'{text}'";
    }
}
