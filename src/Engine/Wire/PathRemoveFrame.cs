using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// Withdraws an address of the sender (docs/protocol.md, "PATH_REMOVE", like MPTCP's REMOVE_ADDR):
/// both sides close the subflows that use it, and what those carried unacknowledged is sent again
/// elsewhere. Id 0 withdraws the first subflow's address, for a handover away from it.
/// </summary>
internal readonly struct PathRemoveFrame : IFrame
{
    public const int FixedLength = 1;

    public readonly byte PathId;

    public PathRemoveFrame(byte pathId) => PathId = pathId;

    public static FrameType Type => FrameType.PathRemove;

    public byte Flags => 0;

    public int BodyLength => FixedLength;

    public void WriteBody(Span<byte> destination) => destination[0] = PathId;

    internal static bool TryRead(ReadOnlySpan<byte> head, out PathRemoveFrame frame, out ProtocolError error)
    {
        frame = new(head[0]);
        error = default;
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"PATH_REMOVE path={PathId}");
}
