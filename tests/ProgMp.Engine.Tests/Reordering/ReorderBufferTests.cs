using System.Buffers;
using ProgMp.Engine.Reordering;

namespace ProgMp.Engine.Tests.Reordering;

/// <summary>
/// The receiver's reorder buffer: every byte stored once however the copies overlap, windows that
/// grow only within the session's budget, bounded segments, and no allocation per frame.
/// </summary>
public sealed class ReorderBufferTests
{
    private const int Capacity = 4 * 1024 * 1024;
    private const int Initial = 64 * 1024;

    private static readonly byte[] s_pattern = Pattern(Capacity);

    /// <summary>(seq, length) arrivals; together they cover [0, end) and the first byte comes last.</summary>
    public static IEnumerable<TestCaseData> OverlapPatterns()
    {
        yield return Named("a copy wholly inside one held", (10, 100), (20, 30), (0, 10));
        yield return Named("overlaps at both ends of one held", (100, 50), (80, 100), (0, 100));
        yield return Named("one that covers several held", (10, 5), (30, 5), (50, 5), (5, 60), (0, 5));
        yield return Named("descending, each overlapping the next", (400, 200), (300, 200), (200, 200), (100, 200), (0, 150));
        yield return Named("ascending, each overlapping the one before", (1, 300), (2, 300), (3, 300), (250, 300), (0, 1));
        yield return Named("the in-order copy reaches into held ones", (50, 10), (70, 10), (55, 40), (0, 100));
        yield return Named("same start, longer", (10, 10), (10, 20), (10, 5), (0, 10));
    }

    [TestCaseSource(nameof(OverlapPatterns))]
    public void Overlapping_copies_are_stored_once_and_read_back_in_order((long Seq, int Length)[] arrivals) =>
        AssertStoredOnce(arrivals);

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void Random_overlapping_copies_are_stored_once_and_read_back_in_order(int seed)
    {
        var random = new Random(seed);
        const int size = 20_000;
        var arrivals = new List<(long, int)>();
        for (var i = 0; i < 400; i++)
        {
            var seq = random.Next(1, size);
            arrivals.Add((seq, Math.Min(size - seq, random.Next(1, 3_000))));
        }

        // Whatever the copies missed, then the first byte.
        for (var seq = 1; seq < size; seq += 500)
        {
            arrivals.Add((seq, Math.Min(500, size - seq)));
        }

        arrivals.Add((0, 1));
        AssertStoredOnce([.. arrivals]);
    }

    [Test]
    [CancelAfter(60_000)]
    public void Descending_one_byte_segments_each_take_a_logarithmic_insert()
    {
        // 200,000 inserts at the front: a sorted list moves every held segment each time (n² / 2
        // moves, minutes); a tree does each in O(log n). The time limit is the test's only clock.
        const int count = 200_000;
        var buffer = NewBuffer(maxSegments: count, budget: Budget(segments: count));
        buffer.OfferWindow();
        for (long seq = count; seq >= 1; seq--)
        {
            Assert.That(Receive(buffer, seq, 1), Is.EqualTo(ReceiveOutcome.Accepted));
        }

        Assert.That(buffer.AheadSegments, Is.EqualTo(count));
        Assert.That(Receive(buffer, 0, 1), Is.EqualTo(ReceiveOutcome.Accepted));
        Assert.That(buffer.AheadSegments, Is.Zero);
        AssertReads(buffer, 0, count + 1);
    }

    [Test]
    public void A_stream_that_would_hold_more_segments_than_its_bound_is_refused()
    {
        var buffer = NewBuffer(maxSegments: 10);
        for (var i = 0; i < 10; i++)
        {
            Assert.That(Receive(buffer, 10 + (2 * i), 1), Is.EqualTo(ReceiveOutcome.Accepted));
        }

        Assert.Multiple(() =>
        {
            Assert.That(Receive(buffer, 100, 1), Is.EqualTo(ReceiveOutcome.StreamSegmentLimit));
            Assert.That(Receive(buffer, 11, 1), Is.EqualTo(ReceiveOutcome.StreamSegmentLimit), "a segment between two held ones is one more");
            Assert.That(Receive(buffer, 10, 1), Is.EqualTo(ReceiveOutcome.Duplicate), "a copy of a held one needs no room");
            Assert.That(Receive(buffer, 0, 10), Is.EqualTo(ReceiveOutcome.Accepted), "in-order bytes need no segment ahead");
        });
    }

    [Test]
    public void A_session_whose_streams_would_hold_more_segments_than_its_bound_is_refused()
    {
        var budget = Budget(segments: 6);
        var first = NewBuffer(budget: budget);
        var second = NewBuffer(budget: budget);
        for (var i = 0; i < 3; i++)
        {
            Assert.That(Receive(first, 10 + (2 * i), 1), Is.EqualTo(ReceiveOutcome.Accepted));
            Assert.That(Receive(second, 10 + (2 * i), 1), Is.EqualTo(ReceiveOutcome.Accepted));
        }

        Assert.That(Receive(second, 100, 1), Is.EqualTo(ReceiveOutcome.SessionSegmentLimit));
        first.Release();
        Assert.That(Receive(second, 100, 1), Is.EqualTo(ReceiveOutcome.Accepted), "a released stream's segments are free again");
    }

    [Test]
    public void Data_beyond_the_advertised_edge_is_a_flow_control_error_even_within_the_capacity()
    {
        var buffer = NewBuffer();
        Assert.Multiple(() =>
        {
            Assert.That(buffer.RightEdge, Is.EqualTo(Initial), "before the first acknowledgement, the initial window");
            Assert.That(Receive(buffer, Initial - 10, 10), Is.EqualTo(ReceiveOutcome.Accepted));
            Assert.That(Receive(buffer, Initial - 10, 11), Is.EqualTo(ReceiveOutcome.FlowControl));
        });
        buffer.OfferWindow();
        Assert.That(Receive(buffer, Initial - 10, 11), Is.EqualTo(ReceiveOutcome.Accepted), "once a larger window is advertised");
    }

    [Test]
    public void Windows_grow_only_within_the_session_budget_and_give_it_back_as_the_reader_reads()
    {
        const long shared = 1024 * 1024;
        var budget = Budget(shared);
        var first = NewBuffer(budget: budget);
        var second = NewBuffer(budget: budget);

        first.OfferWindow();
        second.OfferWindow();
        Assert.Multiple(() =>
        {
            Assert.That(first.RightEdge, Is.EqualTo(Initial + shared), "the first takes the whole budget");
            Assert.That(second.RightEdge, Is.EqualTo(Initial), "the second keeps its initial window");
            Assert.That(budget.Available, Is.Zero);
        });

        Assert.That(Receive(first, 0, 500_000), Is.EqualTo(ReceiveOutcome.Accepted));
        AssertReads(first, 0, 500_000);
        Assert.That(budget.Available, Is.EqualTo(500_000), "what the reader read leaves the promise");
        second.OfferWindow();
        Assert.That(second.RightEdge, Is.EqualTo(Initial + 500_000));

        first.Release();
        second.Release();
        Assert.That(budget.Available, Is.EqualTo(shared), "released streams give everything back");
    }

    [Test]
    public void A_reader_that_caught_up_is_offered_its_initial_window_again_with_no_budget_left()
    {
        var buffer = NewBuffer(budget: Budget(0));
        Assert.That(Receive(buffer, 0, Initial), Is.EqualTo(ReceiveOutcome.Accepted));
        Assert.That(buffer.Window, Is.Zero);
        Assert.That(buffer.GrowthDue, Is.False, "nothing read, nothing to offer");

        AssertReads(buffer, 0, Initial);
        Assert.That(buffer.GrowthDue, Is.True);
        buffer.OfferWindow();
        Assert.That(buffer.RightEdge, Is.EqualTo(2 * Initial));
    }

    [Test]
    public void Receiving_reordering_and_reading_allocates_nothing_per_frame()
    {
        var buffer = NewBuffer(capacity: Capacity, budget: Budget(Capacity));
        var destination = new byte[64 * 1024];
        var payload = new ReadOnlySequence<byte>(s_pattern, 0, 1_400);
        long next = 0;
        const int packet = 1_400;

        long Round()
        {
            // Pairs arrive swapped, so every other frame waits in the tree for the one before it.
            long checksum = 0;
            for (var i = 0; i < 500; i++)
            {
                buffer.OfferWindow();
                checksum += (int)buffer.Receive(next + packet, payload, fin: false, nowUs: 1) + (int)buffer.Receive(next, payload, fin: false, nowUs: 1);
                next += 2 * packet;
                checksum += buffer.Read(destination);
            }

            return checksum;
        }

        Round();
        var allocated = long.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Round();
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.That(allocated, Is.Zero);
    }

    private static void AssertStoredOnce((long Seq, int Length)[] arrivals)
    {
        var end = arrivals.Max(a => a.Seq + a.Length);
        var held = new bool[end];
        var buffer = NewBuffer();
        foreach (var (seq, length) in arrivals)
        {
            Assert.That(Receive(buffer, seq, length), Is.Not.EqualTo(ReceiveOutcome.FlowControl));
            Array.Fill(held, true, (int)seq, length);
            var distinct = held.Count(h => h);
            Assert.That(buffer.AheadBytes + buffer.Readable, Is.LessThanOrEqualTo(distinct), $"after [{seq}, {seq + length}) no byte is held twice");
        }

        Assert.That(buffer.AheadBytes, Is.Zero);
        AssertReads(buffer, 0, (int)end);
    }

    private static void AssertReads(ReorderBuffer buffer, long from, int count)
    {
        var read = new byte[count];
        Assert.That(buffer.Read(read), Is.EqualTo(count));
        Assert.That(read, Is.EqualTo(s_pattern.AsSpan((int)from, count).ToArray()));
    }

    private static ReceiveOutcome Receive(ReorderBuffer buffer, long seq, int length) =>
        buffer.Receive(seq, new ReadOnlySequence<byte>(s_pattern, (int)seq, length), fin: false, nowUs: 1);

    private static ReorderBuffer NewBuffer(int capacity = Capacity, int maxSegments = 4096, ReceiveBudget? budget = null) =>
        new(capacity, Initial, maxSegments, budget ?? Budget());

    private static ReceiveBudget Budget(long shared = 64L * 1024 * 1024, int segments = 1 << 17) => new(shared, segments);

    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private static TestCaseData Named(string name, params (long, int)[] arrivals) =>
        new TestCaseData((object)arrivals).SetArgDisplayNames(name);
}
