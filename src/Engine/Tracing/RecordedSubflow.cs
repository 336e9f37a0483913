using System.Runtime.InteropServices;

namespace ProgMp.Engine.Tracing;

/// <summary>A copy of the figures of one subflow view, as a decision saw them.</summary>
[StructLayout(LayoutKind.Auto)]
internal struct RecordedSubflow
{
    public long Id;
    public long Rtt;
    public long RttVar;
    public long DelayOut;
    public long DelayIn;
    public long Cwnd;
    public long Ssthresh;
    public long InFlight;
    public long Queued;
    public long Lost;
    public long BwOutSend;
    public long BwOutAck;
    public long User;
    public bool IsBackup;
    public bool Throttled;
    public bool Lossy;
}
