using System.Runtime.InteropServices;
using ProgMp.Runtime.Model;

namespace ProgMp.Engine.Tracing;

/// <summary>One step of a decision: the packet's numbers rather than the packet, which the engine reuses and acknowledges.</summary>
[StructLayout(LayoutKind.Auto)]
internal struct RecordedAction
{
    public TracedActionKind Kind;
    public long Seq;
    public long Length;
    public long SubflowId;
    public PacketListKind Queue;
    public bool PutBack;
    public int Register;
    public long Value;

    /// <summary>PRINT's text: the string the invocation made already, so keeping it costs nothing.</summary>
    public string? Text;
}
