using System.Runtime.InteropServices;

namespace ProgMp.Engine.Reordering;

/// <summary>Bytes of a stream at a sequence number, in a buffer rented from the shared pool.</summary>
[StructLayout(LayoutKind.Auto)]
internal struct ReceivedSegment
{
    public long Seq;
    public byte[] Buffer;
    public int Offset;
    public int Length;

    /// <summary>When it arrived, microseconds: out-of-order data's wait is measured from here.</summary>
    public long ArrivalUs;

    public readonly long End => Seq + Length;
}
