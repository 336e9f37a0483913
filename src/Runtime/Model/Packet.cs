namespace ProgMp.Runtime.Model;

/// <summary>
/// One segment of a stream's data as a scheduler sees it (LANGUAGE.md, "Packet properties").
/// Fields, not properties: compiled schedulers read them directly.
/// </summary>
/// <remarks>
/// The engine derives its segment type from this class to carry the payload. <see cref="SentOnMask"/>
/// has one bit per subflow slot of the session (at most <see cref="SubflowView.MaxSlots"/>): the engine
/// clears a slot's bit in every outstanding packet before it gives the slot to a new subflow.
/// </remarks>
internal class Packet
{
    public Packet(long seq, long length, long user, bool psh)
    {
        Seq = seq;
        Length = length;
        User = user;
        Psh = psh;
    }

    /// <summary>Data sequence number of the first byte.</summary>
    public long Seq;

    /// <summary>Bytes in the segment.</summary>
    public long Length;

    /// <summary>The application's user value for this data (ProgMP's setUser).</summary>
    public long User;

    /// <summary>The application flushed after this segment.</summary>
    public bool Psh;

    /// <summary>Bit <c>s.Slot</c> is set once the packet was handed to subflow <c>s</c>.</summary>
    public ulong SentOnMask;

    /// <summary>How often the packet was handed to any subflow; 0 means its bytes never left.</summary>
    public int TransmitCount;

    public bool IsSentOn(SubflowView subflow) => (SentOnMask & subflow.Bit) != 0;

    public override string ToString() => $"packet {Seq} ({Length} bytes)";
}
