using System.Runtime.InteropServices;

namespace ProgMp.Engine.Tracing;

/// <summary>One ring slot's fixed part; its subflows, actions and registers live in the recorder's flat arrays at the same index.</summary>
[StructLayout(LayoutKind.Auto)]
internal struct RecordedDecision
{
    public long TimeUs;
    public long Invocation;
    public string Scheduler;
    public DecisionCause Cause;
    public int Q;
    public int QU;
    public int RQ;
    public long QTopSeq;
    public long RqTopSeq;
    public long WindowEnd;
    public int SubflowCount;
    public int SubflowsSeen;
    public int ActionCount;
    public int ActionsSeen;
    public int RefusedDrops;
}
