namespace ProgMp.Compiler.Tests.Interpretation;

/// <summary>
/// Seeded random scheduler states: 0–5 subflows (some not available: in the session, not in SUBFLOWS),
/// Q and QU in ascending seq, RQ a subset of QU in any order plus maybe data only RQ holds, random
/// sent-on masks, registers and subflow USER values (extremes included), time, and a RANDOM sequence.
/// </summary>
internal sealed class StateGenerator
{
    private static readonly long[] s_extremes = [long.MinValue, long.MinValue + 1, -1, 0, 1, long.MaxValue - 1, long.MaxValue];

    private readonly Random _random;

    public StateGenerator(int seed)
    {
        _random = new Random(seed);
    }

    public StateDescription Next()
    {
        var state = new StateDescription { NowMs = Pick(0, 5000, 123456789, _random.NextInt64(0, long.MaxValue)) };
        state.Random.Clear();
        var randomCount = _random.Next(1, 6);
        for (var i = 0; i < randomCount; i++)
        {
            state.Random.Add(Chance(0.15) ? Pick(0, long.MaxValue, 1) : _random.NextInt64(0, 100));
        }

        for (var i = 0; i < state.Registers.Length; i++)
        {
            state.Registers[i] = Integer();
        }

        AddSubflows(state);
        AddPackets(state);
        return state;
    }

    private void AddSubflows(StateDescription state)
    {
        var count = _random.Next(0, 6);
        var slots = new HashSet<int>();
        var ids = new HashSet<long>();
        for (var i = 0; i < count; i++)
        {
            int slot;
            do
            {
                slot = Chance(0.1) ? 63 : _random.Next(0, 8);
            }
            while (!slots.Add(slot));

            long id;
            do
            {
                id = Chance(0.1) ? Pick(-5, 0, long.MaxValue) : _random.Next(1, 20);
            }
            while (!ids.Add(id));

            var rtt = Chance(0.1) ? Pick(0, 999, 1000, long.MaxValue) : _random.Next(1, 200) * 1000L + _random.Next(0, 1000);
            var cwnd = _random.Next(0, 12);
            state.Subflows.Add(new StateDescription.Subflow(id, slot)
            {
                Rtt = rtt,
                RttVar = _random.Next(0, 5000),
                DelayOut = rtt / 2,
                DelayIn = Chance(0.5) ? rtt / 2 : _random.Next(0, 100000),
                Cwnd = cwnd,
                Ssthresh = Chance(0.5) ? int.MaxValue : _random.Next(0, 40),
                InFlight = _random.Next(0, 12),
                Queued = _random.Next(0, 3),
                Lost = _random.Next(0, 3),
                BwOutSend = _random.Next(0, 200000),
                BwOutAck = _random.Next(0, 200000),
                Backup = Chance(0.2),
                Throttled = Chance(0.2),
                Lossy = Chance(0.2),
                User = Chance(0.3) ? Integer() : _random.Next(0, 4),
                Window = Chance(0.2) ? _random.Next(0, 3000) : Chance(0.1) ? Pick(long.MinValue, 0) : int.MaxValue,
            });
            if (!Chance(0.2))
            {
                state.SubflowOrder.Add(i);
            }
        }

        // SUBFLOWS need not be in slot order.
        Shuffle(state.SubflowOrder);
    }

    private void AddPackets(StateDescription state)
    {
        var seq = Chance(0.1) ? long.MaxValue - 100000 : _random.Next(0, 5000);
        var inQu = new List<long>();
        var quCount = _random.Next(0, 6);
        for (var i = 0; i < quCount; i++)
        {
            seq = NextSeq(seq);
            AddPacket(state, seq);
            inQu.Add(seq);
        }

        var qCount = _random.Next(0, 7);
        var inQ = new List<long>();
        for (var i = 0; i < qCount; i++)
        {
            seq = NextSeq(seq);
            AddPacket(state, seq);
            inQ.Add(seq);
        }

        // Q and QU interleave in seq when data was taken out of order; both stay ascending.
        if (Chance(0.3) && inQ.Count > 0 && inQu.Count > 0)
        {
            var (a, b) = (_random.Next(inQ.Count), _random.Next(inQu.Count));
            (inQ[a], inQu[b]) = (inQu[b], inQ[a]);
        }

        inQ.Sort();
        inQu.Sort();
        state.Q.AddRange(inQ);
        state.QU.AddRange(inQu);

        foreach (var s in inQu)
        {
            if (Chance(0.4))
            {
                state.RQ.Add(s);
            }
        }

        var extra = Chance(0.3) ? _random.Next(1, 3) : 0;
        for (var i = 0; i < extra; i++)
        {
            seq = NextSeq(seq);
            AddPacket(state, seq);
            state.RQ.Add(seq);
        }

        Shuffle(state.RQ);
    }

    private void AddPacket(StateDescription state, long seq)
    {
        var mask = 0UL;
        if (Chance(0.6))
        {
            foreach (var subflow in state.Subflows)
            {
                if (Chance(0.5))
                {
                    mask |= 1UL << subflow.Slot;
                }
            }
        }

        if (Chance(0.1))
        {
            // Subflows that are not in the state any more.
            mask |= 1UL << _random.Next(0, 64);
        }

        state.Packets.Add(seq, new StateDescription.Packet(seq)
        {
            Length = Chance(0.7) ? 1400 : Chance(0.1) ? Pick(0, long.MaxValue) : _random.Next(1, 3000),
            User = Chance(0.3) ? Integer() : _random.Next(0, 4),
            Psh = Chance(0.3),
            SentOnMask = mask,
        });
    }

    private long NextSeq(long seq) => seq + (Chance(0.7) ? 1400 : _random.Next(1, 3000));

    private long Integer() => Chance(0.3) ? s_extremes[_random.Next(s_extremes.Length)] : _random.Next(-10, 100);

    private long Pick(params long[] values) => values[_random.Next(values.Length)];

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private void Shuffle<T>(List<T> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
