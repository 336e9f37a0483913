using ProgMp.Cli.Compare;

namespace ProgMp.Cli.Tests.Compare;

/// <summary>A run's bounds are reported when reached: samples past the recorder's are counted, flows past the table's are refused and noted.</summary>
public class RunBoundsTests
{
    [Test]
    public void Samples_past_the_recorders_bound_are_counted_not_kept()
    {
        var recorder = new RunRecorder(capacity: 2);
        foreach (var ms in new[] { 1.0, 2, 3, 4 })
        {
            recorder.FlowCompleted(TimeSpan.FromMilliseconds(ms));
        }

        recorder.RoundTrip(TimeSpan.FromMilliseconds(5));
        Assert.Multiple(() =>
        {
            Assert.That(recorder.FlowMilliseconds, Is.EqualTo(new[] { 1.0, 2.0 }));
            Assert.That(recorder.RoundTripMilliseconds, Is.EqualTo(new[] { 5.0 }), "each list has its own bound");
            Assert.That(recorder.Dropped, Is.EqualTo(2));
        });
    }

    [Test]
    public void A_recorder_within_its_bound_drops_nothing()
    {
        var recorder = new RunRecorder(capacity: 2);
        recorder.FlowCompleted(TimeSpan.FromMilliseconds(1));
        recorder.PageCompleted(TimeSpan.FromMilliseconds(1));
        Assert.That(recorder.Dropped, Is.Zero);
    }

    [Test]
    public void A_full_flow_table_refuses_the_next_flow_and_says_it_is_full()
    {
        var flows = new FlowTable(capacity: 1);
        var first = flows.Add(WorkloadKind.ShortFlows, 10);
        Assert.That(flows.Full, Is.False, "the one flow it holds fits");
        var second = flows.Add(WorkloadKind.ShortFlows, 10);
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Not.Null);
            Assert.That(second, Is.Null);
            Assert.That(flows.Full, Is.True);
            Assert.That(flows.Snapshot(), Has.Count.EqualTo(1));
        });
    }
}
