using System.Runtime.InteropServices;
using ProgMp.Runtime.Model;

namespace ProgMp.Runtime.Execution;

/// <summary>A POP during the current invocation: where the packet came from, and whether it was used.</summary>
[StructLayout(LayoutKind.Auto)]
internal struct PopRecord
{
    public Packet Packet;
    public PacketList Source;
    public int Index;
    public bool Used;

    /// <summary>How many actions the invocation had recorded before this POP: where it falls among them.</summary>
    public int ActionsBefore;
}
