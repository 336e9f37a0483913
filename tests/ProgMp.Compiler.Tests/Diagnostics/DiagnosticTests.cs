using ProgMp.Runtime;

namespace ProgMp.Compiler.Tests.Diagnostics;

/// <summary>Whole diagnostic text, position included, for each rule of LANGUAGE.md.</summary>
public class DiagnosticTests
{
    private static readonly SchedulerCompiler s_compiler = new();

    private static string[] Check(string program) =>
        [.. s_compiler.Compile(program, "t.progmp").Diagnostics.Select(d => d.ToString())];

    [TestCase("SCHEDULER t;\nVAR a = 1;\nVAR a = 2;\nSET(R1, a);\n", "t.progmp(3,5): error PMP0102: 'a' is already declared in this block")]
    [TestCase("SCHEDULER t;\nSET(R1, Q.TOP + 1);\n", "t.progmp(2,15): error PMP0200: operator '+' cannot be applied to a packet and an integer")]
    [TestCase("SCHEDULER t;\nIF (Q.POP() != NULL) { RETURN; }\n", "t.progmp(2,7): error PMP0300: POP() is only allowed as the whole initializer of VAR or the whole argument of PUSH, DROP or VOID")]
    [TestCase("SCHEDULER t;\nDROP(QU.POP());\n", "t.progmp(2,9): error PMP0301: POP() is not allowed on QU or a FILTER of QU: QU holds data the receiver has not acknowledged yet")]
    [TestCase("SCHEDULER t;\nDROP(QU.FILTER(p => TRUE).POP());\n", "t.progmp(2,27): error PMP0301: POP() is not allowed on QU or a FILTER of QU: QU holds data the receiver has not acknowledged yet")]
    [TestCase("SCHEDULER t;\nSET(R0, 1);\n", "t.progmp(2,5): error PMP0101: 'R0' is not a register: registers are R1 to R6")]
    [TestCase("SCHEDULER t;\nSET(R1, R7);\n", "t.progmp(2,9): error PMP0101: 'R7' is not a register: registers are R1 to R6")]
    [TestCase("SCHEDULER t;\nSET(R1, x);\n", "t.progmp(2,9): error PMP0100: unknown name 'x'")]
    [TestCase("SCHEDULER t;\nVAR a = a;\n", "t.progmp(2,9): error PMP0103: 'a' is used before its declaration")]
    [TestCase("SCHEDULER t;\nIF (1) { }\n", "t.progmp(2,5): error PMP0201: a condition must be boolean, not an integer")]
    [TestCase("SCHEDULER t;\nVOID(Q.TOP());\n", "t.progmp(2,8): error PMP0203: 'TOP' is a property: write it without parentheses")]
    [TestCase("SCHEDULER t;\nVOID(Q.POP);\n", "t.progmp(2,8): error PMP0204: 'POP' is an operation: write 'POP(...)'")]
    [TestCase("SCHEDULER t;\nSUBFLOWS.PUSH(Q.POP());\n", "t.progmp(2,10): error PMP0105: A subflow list has no property or operation 'PUSH'")]
    [TestCase("SCHEDULER t;\nSUBFLOWS.GET(0).PUSH(SUBFLOWS.GET(1));\n", "t.progmp(2,22): error PMP0207: PUSH expects a packet, not a subflow")]
    [TestCase("SCHEDULER t;\nSET(R1, TRUE);\n", "t.progmp(2,9): error PMP0216: the value of SET must be an integer, not a boolean")]
    [TestCase("SCHEDULER t;\nVAR b = TRUE < FALSE;\nSET(R1, 1);\nIF (b) { }\n", "t.progmp(2,14): error PMP0200: operator '<' cannot be applied to a boolean and a boolean")]
    [TestCase("SCHEDULER t;\nPRINT(\"x %d\", SUBFLOWS);\n", "t.progmp(2,15): error PMP0215: PRINT cannot print a subflow list")]
    [TestCase("SCHEDULER t;\nVOID(NULL.RTT);\n", "t.progmp(2,11): error PMP0209: the literal NULL has no type, so it has no property or operation 'RTT'")]
    [TestCase("SCHEDULER t;\n;\n", "t.progmp(2,1): error PMP0009: an empty statement (';' alone) is not allowed")]
    [TestCase("VAR a = 1;\nSET(R1, a);\n", "t.progmp(1,1): error PMP0008: a program starts with 'SCHEDULER name;'")]
    [TestCase("SCHEDULER RANDOM;\n", "t.progmp(1,11): error PMP0104: 'RANDOM' is a built-in and cannot be used as a scheduler name")]
    [TestCase("SCHEDULER R1;\n", "t.progmp(1,11): error PMP0104: 'R1' is a register name and cannot be used as a scheduler name")]
    [TestCase("SCHEDULER t;\nQ.COUNT;\n", "t.progmp(2,1): error PMP0212: a value on its own is not a statement (only PUSH and SET_USER calls stand alone; use VOID(...) to evaluate and ignore)")]
    [TestCase("SCHEDULER t;\nVOID(SUBFLOWS.GET(0).PUSH(Q.TOP));\n", "t.progmp(2,22): error PMP0213: 'PUSH' is a statement and gives no value")]
    [TestCase("SCHEDULER t;\nSET(Q, 1);\n", "t.progmp(2,5): error PMP0211: SET changes a register (R1 to R6), not 'Q'")]
    [TestCase("SCHEDULER t;\nVAR x = Q;\nDROP(x.POP());\n", "t.progmp(3,8): error PMP0302: POP() is only allowed on Q, RQ or a FILTER chain of them written in place, not on the variable 'x'")]
    [TestCase("SCHEDULER t;\nVOID(Q == RQ);\n", "t.progmp(2,8): error PMP0210: two lists cannot be compared with '==' (compare a list with NULL, or compare COUNT)")]
    [TestCase("SCHEDULER t;\nVOID(Q.COUNT(1));\n", "t.progmp(2,8): error PMP0203: 'COUNT' is a property: write it without parentheses")]
    [TestCase("SCHEDULER t;\nVOID(Q.GET(1, 2));\n", "t.progmp(2,8): error PMP0202: 'GET' takes one argument, not 2")]
    [TestCase("SCHEDULER t;\nVOID(Q.FILTER(1));\n", "t.progmp(2,15): error PMP0205: 'FILTER' takes a lambda such as 'x => ...'")]
    [TestCase("SCHEDULER t;\nVOID(Q.MIN(p => p.PSH));\n", "t.progmp(2,17): error PMP0214: the lambda of MIN must give an integer, not a boolean")]
    [TestCase("SCHEDULER t;\nVOID(\"text\");\n", "t.progmp(2,6): error PMP0208: a string is only allowed as the format of PRINT")]
    [TestCase("SCHEDULER t;\nVOID(99999999999999999999);\n", "t.progmp(2,6): error PMP0006: the integer 99999999999999999999 does not fit in 64 bits")]
    [TestCase("SCHEDULER t;\nPRINT(\"a\\qb\");\n", "t.progmp(2,9): error PMP0005: invalid escape sequence '\\q' (allowed: \\n \\r \\t \\\" \\\\)")]
    [TestCase("SCHEDULER t;\nPRINT(\"abc);\n", "t.progmp(2,7): error PMP0003: unterminated string: a string ends with '\"' on the same line")]
    [TestCase("SCHEDULER t;\n/* open\n", "t.progmp(2,1): error PMP0004: unterminated comment: '/*' has no matching '*/'")]
    [TestCase("SCHEDULER t;\nVOID(1 # 2);\n", "t.progmp(2,8): error PMP0002: unexpected character '#'")]
    [TestCase("SCHEDULER t;\nVAR x = 1\nSET(R1, x);\n", "t.progmp(2,10): error PMP0001: ';' expected before 'SET'")]
    [TestCase("SCHEDULER t;\nVAR Q = 1;\n", "t.progmp(2,5): error PMP0104: 'Q' is a built-in and cannot be used as a variable name")]
    public void An_invalid_program_gets_its_diagnostic(string program, string expected)
    {
        Assert.That(Check(program), Does.Contain(expected));
    }

    [TestCase("SCHEDULER t;\nVAR unused = 1;\n", "t.progmp(2,5): warning PMP1001: 'unused' is never used")]
    [TestCase("SCHEDULER t;\nRETURN;\nSET(R1, 1);\n", "t.progmp(3,1): warning PMP1002: unreachable statement after RETURN")]
    [TestCase("SCHEDULER t;\nDROP(Q.POP());\n", "t.progmp(2,1): warning PMP1003: this drops a packet taken from Q that the program never pushes: unsent data would be lost (the engine refuses such drops)")]
    [TestCase("SCHEDULER t;\nVAR p = Q.POP();\nDROP(p);\n", "t.progmp(3,1): warning PMP1003: this drops a packet taken from Q that the program never pushes: unsent data would be lost (the engine refuses such drops)")]
    public void A_questionable_program_gets_a_warning_and_still_compiles(string program, string expected)
    {
        var compilation = s_compiler.Compile(program, "t.progmp");
        Assert.Multiple(() =>
        {
            Assert.That(compilation.Succeeded, Is.True);
            Assert.That(compilation.Diagnostics.Select(d => d.ToString()), Does.Contain(expected));
        });
    }

    [TestCase("SCHEDULER t;\nFOREACH (VAR s IN SUBFLOWS) { s.PUSH(Q.TOP); }\nDROP(Q.POP());\n")]
    [TestCase("SCHEDULER t;\nVAR p = Q.POP();\nSUBFLOWS.GET(0).PUSH(p);\nDROP(p);\n")]
    [TestCase("SCHEDULER t;\nDROP(RQ.POP());\n")]
    [TestCase("SCHEDULER t;\nVAR top = Q.TOP;\nDROP(Q.POP());\nFOREACH (VAR s IN SUBFLOWS) { s.PUSH(top); }\n")]
    public void A_drop_of_a_pushed_packet_gets_no_warning(string program)
    {
        var compilation = s_compiler.Compile(program, "t.progmp");
        Assert.That(compilation.Diagnostics.Select(d => d.Code), Has.None.EqualTo("PMP1003"));
    }

    [Test]
    public void Every_problem_is_reported_in_one_run()
    {
        var diagnostics = s_compiler.Compile("SCHEDULER t;\nVAR a = 1;\nVAR a = 2;\nVAR b = Q.TOP + 1;\nSET(R1, a);\nSET(R2, b);\n", "t.progmp").Diagnostics;
        Assert.That(diagnostics.Where(d => d.IsError).Select(d => d.Line), Is.EqualTo(new[] { 3, 4 }));
    }

    [Test]
    public void Each_diagnostic_id_is_unique()
    {
        var ids = Compiler.Diagnostics.DiagnosticDescriptors.All.Select(d => d.Id).ToArray();
        Assert.That(ids, Is.Unique);
    }

    [Test]
    public void Warnings_and_errors_print_in_the_format_editors_understand()
    {
        var diagnostic = new SchedulerDiagnostic(DiagnosticSeverity.Warning, "PMP1001", "'x' is never used", "a/b.progmp", 3, 7, 20, 1);
        Assert.That(diagnostic.ToString(), Is.EqualTo("a/b.progmp(3,7): warning PMP1001: 'x' is never used"));
    }

    [Test]
    public void Every_diagnostic_id_is_documented()
    {
        var document = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics.md"));
        var missing = Compiler.Diagnostics.DiagnosticDescriptors.All.Where(d => !document.Contains($"| {d.Id} |", StringComparison.Ordinal)).Select(d => d.Id);
        Assert.That(missing, Is.Empty);
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ProgMp.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ProgMp.sln not found above the test directory.");
    }
}
