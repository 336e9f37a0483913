using System.Runtime.InteropServices;
using ProgMp.Engine.Streams;

namespace ProgMp.Engine.Subflows;

/// <summary>The data frame an acknowledgement will echo: which transmission arrived, and when.</summary>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct PendingEcho(StreamCore Stream, long Seq, int Length, long Timestamp, ushort SubflowId, long ArrivalUs);
