using ProgMp.Compiler.Explanation;
using ProgMp.Runtime.Evaluation;

namespace ProgMp.Compiler.Tests.Explanation;

/// <summary>
/// What <c>progmp eval --explain</c> tells about one invocation: one seed program pinned line for
/// line, and each kind of event on a program made to show it.
/// </summary>
public class ExplainTests
{
    private const string SeedProgram = """
        SCHEDULER seed;

        VAR open = SUBFLOWS.FILTER(s => s.CWND > s.SKBS_IN_FLIGHT AND !s.LOSSY);
        VAR best = open.MIN(s => s.RTT);
        IF (!RQ.EMPTY AND RQ.TOP.SENT_ON(best)) {
          open.FILTER(s => !RQ.TOP.SENT_ON(s)).MAX(s => s.CWND).PUSH(RQ.POP());
        }
        VAR spare = Q.GET(5);
        DROP(spare);
        best.PUSH(Q.POP());
        SET(R1, R1 + open.SUM(s => s.SKBS_IN_FLIGHT));
        VOID(Q.POP());
        PRINT("next %d", Q.TOP.SEQ);
        """;

    private const string SeedState = """
        {
          "registers": [1, 0, 0, 0, 0, 0],
          "subflows": [
            { "id": 1, "rtt": 20000, "inFlight": 4 },
            { "id": 2, "rtt": 10000, "inFlight": 10 },
            { "id": 3, "rtt": 30000, "inFlight": 2 },
            { "id": 4, "rtt": 5000, "lossy": true }
          ],
          "q": [ { "seq": 4200 }, { "seq": 5600 } ],
          "qu": [ { "seq": 2800, "sentOn": [1, 3] } ],
          "rq": [ { "seq": 2800 } ]
        }
        """;

    // Four subflows, one slow retransmission nobody can take, a NULL that skips a DROP, a push, a SUM
    // into R1, a pop that goes back, and a PRINT of a NULL.
    private const string SeedExplanation = """
        scheduler seed (seed.progmp), one invocation at CURRENT_TIME_MS 0
        before: SUBFLOWS [1, 2, 3, 4], Q [4200, 5600], QU [2800], RQ [2800], R1..R6 [1, 0, 0, 0, 0, 0]

         3  VAR open = SUBFLOWS.FILTER(s => s.CWND > s.SKBS_IN_FLIGHT AND !s.LOSSY)
              FILTER on subflows [1, 2, 3, 4]: kept [1, 3], left out [2, 4]
                subflow 1: TRUE
                subflow 2: FALSE because s.CWND > s.SKBS_IN_FLIGHT is FALSE (10 > 10)
                subflow 3: TRUE
                subflow 4: FALSE because s.LOSSY is TRUE
              open = subflows [1, 3]
         4  VAR best = open.MIN(s => s.RTT)
              MIN on subflows [1, 3]: subflow 1
                subflow 1: 20000, the least
                subflow 3: 30000
              best = subflow 1
         5  IF (!RQ.EMPTY AND RQ.TOP.SENT_ON(best))
              TRUE, because:
                RQ.EMPTY is FALSE
                RQ.TOP.SENT_ON(best) is TRUE
         6    open.FILTER(s => !RQ.TOP.SENT_ON(s)).MAX(s => s.CWND).PUSH(RQ.POP())
                FILTER(s => !RQ.TOP.SENT_ON(s)) on subflows [1, 3]: kept [], left out [1, 3]
                  subflow 1: FALSE because RQ.TOP.SENT_ON(s) is TRUE
                  subflow 3: FALSE because RQ.TOP.SENT_ON(s) is TRUE
                MAX(s => s.CWND) on subflows []: NULL, the list is empty
                nothing pushed: open.FILTER(s => !RQ.TOP.SENT_ON(s)).MAX(s => s.CWND) is NULL, so RQ.POP() is not evaluated
         8  VAR spare = Q.GET(5)
              spare = NULL
         9  DROP(spare)
              nothing dropped: spare is NULL
        10  best.PUSH(Q.POP())
              POP takes packet 4200 from Q
              pushed packet 4200 on subflow 1
        11  SET(R1, R1 + open.SUM(s => s.SKBS_IN_FLIGHT))
              SUM on subflows [1, 3]: 6
                subflow 1: 4
                subflow 3: 2
              R1 = 7 (was 1)
        12  VOID(Q.POP())
              POP takes packet 5600 from Q
              the value, packet 5600, is discarded
        13  PRINT("next %d", Q.TOP.SEQ)
              nothing printed: Q.TOP.SEQ is NULL because Q.TOP is NULL

        end: the program ran to its last statement
        put back into Q: packet 5600, popped at line 12 but neither pushed nor dropped
        actions:
          1. push packet 4200 on subflow 1
          2. set R1 to 7
        after: Q [5600], QU [2800, 4200], RQ [2800], R1..R6 [7, 0, 0, 0, 0, 0]
        """;

    [Test]
    public void The_seed_program_is_explained_line_for_line()
    {
        Assert.That(Explain(SeedProgram, SeedState, "seed.progmp"), Is.EqualTo(SeedExplanation.ReplaceLineEndings("\n") + "\n"));
    }

    [Test]
    public void A_filter_names_the_elements_it_kept_and_left_out_and_why_each_was_left_out()
    {
        var text = Explain(
            """
            SCHEDULER f;
            VAR open = SUBFLOWS.FILTER(s => (s.RTT < 30000 OR s.IS_BACKUP) AND !s.THROTTLED);
            """,
            """{ "subflows": [ { "id": 1, "rtt": 10000 }, { "id": 2, "rtt": 40000 }, { "id": 3, "rtt": 10000, "throttled": true } ] }""");
        Assert.That(text, Does.Contain("FILTER on subflows [1, 2, 3]: kept [1], left out [2, 3]\n"));
        Assert.That(text, Does.Contain("subflow 1: TRUE\n"));
        Assert.That(text, Does.Contain("subflow 2: FALSE because s.RTT < 30000 is FALSE (40000 < 30000) and s.IS_BACKUP is FALSE\n"));
        Assert.That(text, Does.Contain("subflow 3: FALSE because s.THROTTLED is TRUE\n"));
        Assert.That(text, Does.Contain("open = subflows [1]\n"));
    }

    [Test]
    public void A_filter_over_a_null_part_says_where_the_null_came_from()
    {
        var text = Explain(
            """
            SCHEDULER f;
            VAR open = SUBFLOWS.FILTER(s => s.HAS_WINDOW_FOR(Q.TOP));
            """,
            """{ "subflows": [ { "id": 1 } ] }""");
        Assert.That(text, Does.Contain("subflow 1: NULL, which counts as FALSE, because Q.TOP is NULL\n"));
    }

    [Test]
    public void Min_and_max_show_every_value_compared_and_the_choice_also_on_a_tie()
    {
        var text = Explain(
            """
            SCHEDULER m;
            VAR fast = SUBFLOWS.MIN(s => s.RTT);
            VAR big = SUBFLOWS.MAX(s => s.CWND);
            """,
            """{ "subflows": [ { "id": 1, "rtt": 30000, "cwnd": 20 }, { "id": 2, "rtt": 10000, "cwnd": 20 }, { "id": 3, "rtt": 10000, "cwnd": 5 } ] }""");
        // A three-line program: a one-digit line column, then two spaces.
        Assert.That(text, Does.Contain(
            "     MIN on subflows [1, 2, 3]: subflow 2\n"
            + "       subflow 1: 30000\n"
            + "       subflow 2: 10000, the least (the first of equal values)\n"
            + "       subflow 3: 10000\n"
            + "     fast = subflow 2\n"));
        Assert.That(text, Does.Contain(
            "     MAX on subflows [1, 2, 3]: subflow 1\n"
            + "       subflow 1: 20, the greatest (the first of equal values)\n"
            + "       subflow 2: 20\n"
            + "       subflow 3: 5\n"));
    }

    [Test]
    public void A_statement_skipped_for_a_null_target_says_so_and_that_its_argument_was_not_evaluated()
    {
        var text = Explain(
            """
            SCHEDULER n;
            SUBFLOWS.FILTER(s => s.RTT > 50000).MIN(s => s.RTT).PUSH(Q.POP());
            SUBFLOWS.GET(7).SET_USER(1);
            SET(R2, Q.GET(3).SEQ);
            """,
            """{ "subflows": [ { "id": 1, "rtt": 10000 } ], "q": [ { "seq": 100 } ], "registers": [0, 9, 0, 0, 0, 0] }""");
        Assert.That(text, Does.Contain("MIN(s => s.RTT) on subflows []: NULL, the list is empty\n"));
        Assert.That(text, Does.Contain("nothing pushed: SUBFLOWS.FILTER(s => s.RTT > 50000).MIN(s => s.RTT) is NULL, so Q.POP() is not evaluated\n"));
        Assert.That(text, Does.Contain("no USER set: SUBFLOWS.GET(7) is NULL, so 1 is not evaluated\n"));
        Assert.That(text, Does.Contain("R2 stays 9: Q.GET(3).SEQ is NULL because Q.GET(3) is NULL\n"));
        Assert.That(text, Does.Not.Contain("POP takes"));
        Assert.That(text, Does.Contain("actions: none\n"));
    }

    [Test]
    public void A_popped_packet_that_was_neither_pushed_nor_dropped_is_reported_put_back()
    {
        var text = Explain(
            """
            SCHEDULER p;
            VAR first = Q.POP();
            VAR second = RQ.POP();
            DROP(second);
            """,
            """{ "q": [ { "seq": 100 }, { "seq": 200 } ], "qu": [ { "seq": 50 } ], "rq": [ { "seq": 50 } ] }""");
        Assert.That(text, Does.Contain("POP takes packet 100 from Q\n"));
        Assert.That(text, Does.Contain("first = packet 100\n"));
        Assert.That(text, Does.Contain("dropped packet 50\n"));
        Assert.That(text, Does.Contain("put back into Q: packet 100, popped at line 2 but neither pushed nor dropped\n"));
        Assert.That(text, Does.Not.Contain("put back into RQ"));
        Assert.That(text, Does.Contain("after: Q [100, 200], QU [50], RQ []"));
    }

    [Test]
    public void Branches_loops_and_return_are_followed_with_their_lines_and_nesting()
    {
        var text = Explain(
            """
            SCHEDULER b;
            FOREACH (VAR s IN SUBFLOWS) {
              IF (s.USER > 0) {
                s.SET_USER(s.USER - 1);
              } ELSE {
                PRINT("idle %d", s);
                RETURN;
              }
            }
            SET(R1, 1);
            """,
            """{ "subflows": [ { "id": 1, "user": 2 }, { "id": 2 }, { "id": 3, "user": 5 } ] }""");
        Assert.That(text, Does.Contain("""
             2  FOREACH (VAR s IN SUBFLOWS)
                  over subflows [1, 2, 3]
                  s = subflow 1
             3    IF (s.USER > 0)
                    TRUE (2 > 0)
             4      s.SET_USER(s.USER - 1)
                      USER of subflow 1 = 1 (was 2)
                  s = subflow 2
             3    IF (s.USER > 0)
                    FALSE (0 > 0), so the ELSE branch runs
             6      PRINT("idle %d", s)
                      printed "idle 2"
             7      RETURN
                      the invocation ends here

            end: RETURN at line 7
            """));
        Assert.That(text, Does.Not.Contain("subflow 3"));
        Assert.That(text, Does.Not.Contain("SET(R1"));
    }

    [Test]
    public void A_lambda_operation_inside_a_lambda_is_shown_by_its_value_not_element_by_element()
    {
        var text = Explain(
            """
            SCHEDULER l;
            VAR lacking = SUBFLOWS.FILTER(s => QU.FILTER(p => !p.SENT_ON(s)).COUNT > 0);
            """,
            """{ "subflows": [ { "id": 1 }, { "id": 2 } ], "qu": [ { "seq": 10, "sentOn": [1] } ] }""");
        Assert.That(text, Does.Contain("FILTER on subflows [1, 2]: kept [2], left out [1]\n"));
        Assert.That(text, Does.Contain("subflow 1: FALSE (0 > 0)\n"));
        Assert.That(text, Does.Not.Contain("packet 10:"));
    }

    [Test]
    public void The_interpreter_runs_as_before_when_nothing_traces_it()
    {
        // The same program through the plain interpreter and the explainer: one outcome.
        const string state = """{ "subflows": [ { "id": 1, "rtt": 10 } ], "q": [ { "seq": 1 }, { "seq": 2 } ] }""";
        const string program = "SCHEDULER t; SUBFLOWS.MIN(s => s.RTT).PUSH(Q.POP()); VOID(Q.POP());";
        var plain = SchedulerCompiler.CompileInterpreted(program, "t.progmp").Program!;
        Assert.That(EvalStateReader.TryRead(state, out var a, out _), Is.True);
        var plainContext = EvalRunner.Run(plain, a!);
        Assert.That(EvalStateReader.TryRead(state, out var b, out _), Is.True);
        var explainedContext = EvalRunner.Prepare(b!);
        SchedulerExplainer.Create(program, "t.progmp")!.Explain(explainedContext);
        Assert.That(EvalRunner.ToJson(explainedContext), Is.EqualTo(EvalRunner.ToJson(plainContext)));
    }

    [Test]
    public void A_program_with_errors_has_no_explainer()
    {
        Assert.That(SchedulerExplainer.Create("SCHEDULER x; VAR a = ;", "x.progmp"), Is.Null);
    }

    private static string Explain(string program, string state, string path = "test.progmp")
    {
        Assert.That(EvalStateReader.TryRead(state, out var evalState, out var error), Is.True, error);
        var explainer = SchedulerExplainer.Create(program, path);
        Assert.That(explainer, Is.Not.Null, "the program does not compile");
        var context = EvalRunner.Prepare(evalState!);
        return string.Join('\n', explainer!.Explain(context)) + "\n";
    }
}
