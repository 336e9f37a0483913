using ProgMp.Runtime.Model;

namespace ProgMp.Runtime.Execution;

/// <summary>
/// The invocation's arena of list values. FILTER results and snapshots are rented here; a rented list
/// keeps its capacity across invocations. Compiled code saves <see cref="PacketArenaUsed"/> and
/// <see cref="SubflowArenaUsed"/> before a loop body or lambda body and restores them after, because
/// no list made there outlives it: the arena stays as deep as the program's nesting, not its loops.
/// </summary>
internal sealed partial class SchedulerContext
{
    private PacketList[] _packetArena = new PacketList[4];
    private SubflowList[] _subflowArena = new SubflowList[4];

    public int PacketArenaUsed;
    public int SubflowArenaUsed;

    /// <summary>An empty list for a FILTER of <paramref name="source"/>; POP on it takes from the source's queue.</summary>
    public PacketList RentFiltered(PacketList source)
    {
        var list = RentPackets();
        list.PopSource = source.Kind switch
        {
            PacketListKind.Q or PacketListKind.RQ => source,
            PacketListKind.Derived => source.PopSource,
            _ => null,
        };
        return list;
    }

    /// <summary>A copy of a queue as it is now: <c>VAR x = Q;</c> must not see later POPs.</summary>
    public PacketList Snapshot(PacketList source)
    {
        if (source.Kind == PacketListKind.Derived)
        {
            return source;
        }

        var list = RentPackets();
        list.CopyFrom(source);
        return list;
    }

    public SubflowList RentSubflows()
    {
        if (SubflowArenaUsed == _subflowArena.Length)
        {
            Array.Resize(ref _subflowArena, _subflowArena.Length * 2);
        }

        var list = _subflowArena[SubflowArenaUsed] ??= new SubflowList();
        SubflowArenaUsed++;
        list.Clear();
        return list;
    }

    private PacketList RentPackets()
    {
        if (PacketArenaUsed == _packetArena.Length)
        {
            Array.Resize(ref _packetArena, _packetArena.Length * 2);
        }

        var list = _packetArena[PacketArenaUsed] ??= new PacketList(PacketListKind.Derived);
        PacketArenaUsed++;
        list.Clear();
        return list;
    }

    private void ResetArena()
    {
        PacketArenaUsed = 0;
        SubflowArenaUsed = 0;
    }

    /// <summary>Lets go of the packet references the arena holds, so acknowledged data can be collected.</summary>
    private void ReleaseArena()
    {
        for (var i = 0; i < PacketArenaUsed; i++)
        {
            _packetArena[i].Clear();
        }

        for (var i = 0; i < SubflowArenaUsed; i++)
        {
            _subflowArena[i].Clear();
        }

        PacketArenaUsed = 0;
        SubflowArenaUsed = 0;
    }
}
