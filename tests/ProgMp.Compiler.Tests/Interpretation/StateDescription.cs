using System.Globalization;
using System.Text;
using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Model;

namespace ProgMp.Compiler.Tests.Interpretation;

/// <summary>
/// A scheduler state as plain data, so that two evaluators can each get a fresh, identical copy
/// (<see cref="CreateContext"/>) and a failing case can be printed and reproduced (<see cref="ToString"/>
/// writes it in <c>progmp eval</c>'s state format, plus the slots and the SUBFLOWS order).
/// </summary>
internal sealed class StateDescription
{
    public List<Subflow> Subflows { get; } = [];

    /// <summary>Indexes into <see cref="Subflows"/> of the available ones, in SUBFLOWS order.</summary>
    public List<int> SubflowOrder { get; } = [];

    public Dictionary<long, Packet> Packets { get; } = [];

    public List<long> Q { get; } = [];

    public List<long> QU { get; } = [];

    public List<long> RQ { get; } = [];

    public long[] Registers { get; } = new long[SchedulerState.RegisterCount];

    public long NowMs { get; set; }

    public List<long> Random { get; } = [4];

    /// <summary>A context pointed at a new state built from this description, with its own RANDOM sequence.</summary>
    public SchedulerContext CreateContext()
    {
        var context = new SchedulerContext(new SequenceRandom(Random));
        var state = new SchedulerState();
        var views = new SubflowView[Subflows.Count];
        var sessionMask = 0UL;
        for (var i = 0; i < Subflows.Count; i++)
        {
            var d = Subflows[i];
            views[i] = new SubflowView(d.Id, d.Slot)
            {
                Rtt = d.Rtt,
                RttVar = d.RttVar,
                DelayOut = d.DelayOut,
                DelayIn = d.DelayIn,
                Cwnd = d.Cwnd,
                Ssthresh = d.Ssthresh,
                InFlight = d.InFlight,
                Queued = d.Queued,
                Lost = d.Lost,
                BwOutSend = d.BwOutSend,
                BwOutAck = d.BwOutAck,
                IsBackup = d.Backup,
                Throttled = d.Throttled,
                Lossy = d.Lossy,
                WindowBytes = d.Window,
            };
            sessionMask |= views[i].Bit;
            state.SubflowUser[d.Slot] = d.User;
        }

        var subflows = new SubflowList();
        foreach (var index in SubflowOrder)
        {
            subflows.Add(views[index]);
        }

        var packets = new Dictionary<long, ProgMp.Runtime.Model.Packet>();
        ProgMp.Runtime.Model.Packet Make(long seq)
        {
            if (!packets.TryGetValue(seq, out var packet))
            {
                var d = Packets[seq];
                packet = new ProgMp.Runtime.Model.Packet(d.Seq, d.Length, d.User, d.Psh) { SentOnMask = d.SentOnMask, TransmitCount = d.SentOnMask == 0 ? 0 : 1 };
                packets.Add(seq, packet);
            }

            return packet;
        }

        foreach (var seq in Q)
        {
            state.Q.Add(Make(seq));
        }

        foreach (var seq in QU)
        {
            state.QU.Add(Make(seq));
        }

        foreach (var seq in RQ)
        {
            state.RQ.Add(Make(seq));
        }

        Registers.CopyTo(state.Registers, 0);
        context.Prepare(state, subflows, sessionMask, NowMs);
        return context;
    }

    /// <summary>In <c>progmp eval</c>'s state format, with each subflow's slot and the SUBFLOWS order as extras.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{{\n  \"timeMs\": {NowMs},\n  \"random\": [{string.Join(", ", Random)}],\n");
        text.Append(CultureInfo.InvariantCulture, $"  \"registers\": [{string.Join(", ", Registers)}],\n  \"subflows\": [\n");
        for (var i = 0; i < Subflows.Count; i++)
        {
            var s = Subflows[i];
            text.Append(CultureInfo.InvariantCulture, $"    {{ \"id\": {s.Id}, \"rtt\": {s.Rtt}, \"rttVar\": {s.RttVar}, \"cwnd\": {s.Cwnd}, \"ssthresh\": {s.Ssthresh}, ");
            text.Append(CultureInfo.InvariantCulture, $"\"inFlight\": {s.InFlight}, \"queued\": {s.Queued}, \"lost\": {s.Lost}, \"delayOut\": {s.DelayOut}, \"delayIn\": {s.DelayIn}, ");
            text.Append(CultureInfo.InvariantCulture, $"\"bwOutSend\": {s.BwOutSend}, \"bwOutAck\": {s.BwOutAck}, \"backup\": {Json(s.Backup)}, \"throttled\": {Json(s.Throttled)}, ");
            text.Append(CultureInfo.InvariantCulture, $"\"lossy\": {Json(s.Lossy)}, \"user\": {s.User}, \"window\": {s.Window}, \"available\": {Json(SubflowOrder.Contains(i))} }}");
            text.Append(CultureInfo.InvariantCulture, $"{(i + 1 < Subflows.Count ? "," : "")} // slot {s.Slot}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  ], // SUBFLOWS order by id: [{string.Join(", ", SubflowOrder.Select(i => Subflows[i].Id))}]\n");
        text.Append("  \"q\": ").Append(PacketsJson(Q)).Append(",\n");
        text.Append("  \"qu\": ").Append(PacketsJson(QU)).Append(",\n");
        text.Append("  \"rq\": ").Append(PacketsJson(RQ.Where(seq => !QU.Contains(seq)))).Append(", // rq order by seq: [");
        text.Append(string.Join(", ", RQ)).Append("]\n}");
        return text.ToString();
    }

    private string PacketsJson(IEnumerable<long> seqs)
    {
        var items = seqs.Select(seq =>
        {
            var p = Packets[seq];
            var sentOn = Subflows.Where(s => (p.SentOnMask & (1UL << s.Slot)) != 0).Select(s => s.Id.ToString(CultureInfo.InvariantCulture));
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{{ \"seq\": {p.Seq}, \"length\": {p.Length}, \"user\": {p.User}, \"psh\": {Json(p.Psh)}, \"sentOn\": [{string.Join(", ", sentOn)}], \"sentOnMask\": {p.SentOnMask} }}");
        });
        return "[" + string.Join(", ", items) + "]";
    }

    private static string Json(bool value) => value ? "true" : "false";

    internal sealed record Subflow(long Id, int Slot)
    {
        public long Rtt { get; init; }

        public long RttVar { get; init; }

        public long DelayOut { get; init; }

        public long DelayIn { get; init; }

        public long Cwnd { get; init; } = 10;

        public long Ssthresh { get; init; } = int.MaxValue;

        public long InFlight { get; init; }

        public long Queued { get; init; }

        public long Lost { get; init; }

        public long BwOutSend { get; init; }

        public long BwOutAck { get; init; }

        public bool Backup { get; init; }

        public bool Throttled { get; init; }

        public bool Lossy { get; init; }

        public long User { get; init; }

        public long Window { get; init; } = int.MaxValue;
    }

    internal sealed record Packet(long Seq)
    {
        public long Length { get; init; } = 1400;

        public long User { get; init; }

        public bool Psh { get; init; }

        public ulong SentOnMask { get; init; }
    }
}
