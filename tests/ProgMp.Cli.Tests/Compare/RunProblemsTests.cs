using ProgMp.Cli.Compare;

namespace ProgMp.Cli.Tests.Compare;

/// <summary>A run's problems: none is a clean run; each one, an event that failed among them, shows in the run's problem.</summary>
public class RunProblemsTests
{
    [Test]
    public void A_run_without_problems_has_none()
    {
        var problems = new RunProblems();
        problems.Add(null);
        Assert.That(problems.Text, Is.Null);
    }

    [Test]
    public void A_failed_event_is_a_problem_naming_its_time_what_it_was_and_why()
    {
        var problems = new RunProblems();
        problems.EventFailed(new ScenarioEvent(TimeSpan.FromMilliseconds(2500), "wifi", ScenarioEventKind.Remove, 7) { Label = "wifi remove" }, "the session has no path 3 to remove");
        Assert.That(problems.Text, Is.EqualTo("event at 2500ms, wifi remove, failed: the session has no path 3 to remove"));
    }

    [Test]
    public void Every_problem_is_kept_in_the_order_reported()
    {
        var problems = new RunProblems();
        problems.Add("did not finish by its deadline");
        problems.EventFailed(new ScenarioEvent(TimeSpan.FromSeconds(1), "lte", ScenarioEventKind.Add, 3) { Label = "lte add" }, "refused");
        Assert.That(problems.Text, Is.EqualTo("did not finish by its deadline; event at 1s, lte add, failed: refused"));
    }
}
