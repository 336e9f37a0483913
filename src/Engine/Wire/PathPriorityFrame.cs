using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// Marks an address of the sender as backup or regular (docs/protocol.md, "PATH_PRIORITY", like
/// MPTCP's MP_PRIO): the subflows using it become backup subflows for the scheduler, or stop being ones.
/// </summary>
internal readonly struct PathPriorityFrame : IFrame
{
    public const int FixedLength = 1;

    public const byte BackupFlag = 0x01;

    public readonly byte PathId;

    public readonly bool Backup;

    public PathPriorityFrame(byte pathId, bool backup)
    {
        PathId = pathId;
        Backup = backup;
    }

    public static FrameType Type => FrameType.PathPriority;

    public byte Flags => Backup ? BackupFlag : (byte)0;

    public int BodyLength => FixedLength;

    public void WriteBody(Span<byte> destination) => destination[0] = PathId;

    internal static bool TryRead(byte flags, ReadOnlySpan<byte> head, out PathPriorityFrame frame, out ProtocolError error)
    {
        frame = new(head[0], (flags & BackupFlag) != 0);
        error = default;
        return true;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"PATH_PRIORITY path={PathId}{(Backup ? " BACKUP" : " REGULAR")}");
}
