using System.Runtime.InteropServices;

namespace ProgMp.Engine.Streams;

/// <summary>The data an acknowledgement will echo: which stream's range, which transmission of it arrived (its timestamp and subflow id), and when.</summary>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct PendingEcho(uint StreamId, long Seq, int Length, long Timestamp, ushort SubflowId, long ArrivalUs);
