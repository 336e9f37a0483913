using ProgMp.Cli.Demo;

namespace ProgMp.Cli.Tests.Demo;

/// <summary>Which phase a stall at the reader is counted in: the 20 s demo's phases are 0-5, 5-10, 10-15 (wifi reset) and 15-20 s.</summary>
public class DemoPlanTests
{
    [TestCase(11.0, 11.2, 3, TestName = "A stall within a phase is that phase's")]
    [TestCase(9.98, 10.18, 3, TestName = "A stall from a read just before the reset is the reset's phase")]
    [TestCase(10.0, 10.2, 3, TestName = "A stall from a read at the very start of a phase is that phase's")]
    [TestCase(9.7, 10.0, 2, TestName = "A stall that ends as a phase begins is the earlier phase's")]
    [TestCase(9.9, 15.3, 3, TestName = "A stall over two phase starts is the first one's")]
    [TestCase(19.9, 20.4, 4, TestName = "A stall past the end of the writes is the last phase's")]
    public void A_stall_belongs_to_the_phase_whose_beginning_it_takes_in_else_to_the_one_it_began_in(double start, double end, int phase)
    {
        var plan = DemoPlan.Create(new DemoSettings());

        Assert.That(plan.PhaseOf(new DeliveryGap(TimeSpan.FromSeconds(start), TimeSpan.FromSeconds(end))).Number, Is.EqualTo(phase));
    }
}
