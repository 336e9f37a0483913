using System.Text.Json.Nodes;
using ProgMp.Compiler;
using ProgMp.Runtime.Evaluation;

namespace ProgMp.Cli.Tests;

/// <summary>
/// Constructs that ProgMP's own published programs use, each compiled unchanged and deciding as
/// LANGUAGE.md says (the programs here are written for these tests).
/// </summary>
public class PublishedFeatureTests
{
    private const string TwoSubflows = """
        {"subflows": [{"id": 1, "rtt": 25999, "delayOut": 9000, "delayIn": 16999},
                      {"id": 2, "rtt": 7000, "delayOut": 12000, "delayIn": 1000}],
         "q": [{"seq": 10}], "qu": [{"seq": 1, "sentOn": [1]}, {"seq": 2, "sentOn": [1, 2]}]}
        """;

    [TestCase("SCHEDULER t;\nSET(R1, SUBFLOWS.GET(0).RTT_MS);\n", "R1", 25)]
    [TestCase("SCHEDULER t;\nSET(R1, SUBFLOWS.MIN(sbf => sbf.DELAY_OUT).ID);\n", "R1", 1)]
    [TestCase("SCHEDULER t;\nSET(R1, SUBFLOWS.MIN(sbf => sbf.DELAY_IN).ID);\n", "R1", 2)]
    [TestCase("SCHEDULER t;\nSET(R1, QU.\n  FILTER(skb => !skb.SENT_ON(SUBFLOWS.GET(1)))\n  .TOP.SEQ);\n", "R1", 1)]
    [TestCase("SCHEDULER t;\nVAR sbf = SUBFLOWS.FILTER(sbf => sbf.RTT < 10000).GET(0);\nSET(R1, sbf.ID);\n", "R1", 2)]
    [TestCase("SCHEDULER t;\nVAR skb = QU.FILTER(skb => skb.SEQ > 1).TOP;\nSET(R2, skb.SEQ);\n", "R2", 2)]
    public void A_published_construct_decides_as_specified(string program, string register, long expected)
    {
        var result = Evaluate(program, TwoSubflows);
        var index = register[1] - '1';
        Assert.That(result["registers"]![index]!.GetValue<long>(), Is.EqualTo(expected));
    }

    [TestCase("SCHEDULER t;\nIF (R1 < SUBFLOWS.MIN(s => s.RTT).RTT) { SET(R2, 1); }\n", "R2", 1)]
    [TestCase("SCHEDULER t;\nIF ((R1 + SUBFLOWS.SUM(s => s.RTT) / R3) == NULL) { SET(R2, 7); }\n", "R2", 7)]
    public void A_condition_on_a_list_operation_that_may_be_null_compiles_and_decides(string program, string register, long expected)
    {
        var result = Evaluate(program, TwoSubflows);
        Assert.That(result["registers"]![register[1] - '1']!.GetValue<long>(), Is.EqualTo(expected));
    }

    [Test]
    public void Print_with_percent_u_prints_the_value_in_signed_decimal()
    {
        var result = Evaluate("SCHEDULER t;\nPRINT(\"delta %u us\\n\", SUBFLOWS.GET(1).RTT - SUBFLOWS.GET(0).RTT);\n", TwoSubflows);
        Assert.That(result["actions"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("delta -18999 us"));
    }

    private static JsonObject Evaluate(string program, string state)
    {
        var compilation = new SchedulerCompiler().Compile(program, "t.progmp");
        Assert.That(compilation.Diagnostics.Where(d => d.IsError), Is.Empty);
        Assert.That(EvalStateReader.TryRead(state, out var evalState, out var error), Is.True, error);
        return JsonNode.Parse(EvalRunner.ToJson(EvalRunner.Run(compilation.Program!, evalState!)))!.AsObject();
    }
}
