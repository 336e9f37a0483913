using System.Buffers.Binary;
using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// Announces an address of the sender that the peer may open subflows to (docs/protocol.md,
/// "PATH_ADD", like MPTCP's ADD_ADDR), under a path id the sender chooses.
/// </summary>
/// <remarks>
/// Path ids name the sender's own addresses, one space per side; 0 is the address of the session's
/// first subflow and is never announced. Announcing an id again replaces its address.
/// </remarks>
internal readonly struct PathAddFrame : IFrame
{
    /// <summary>Path id (1), family (1), port (2), then 4 or 16 address bytes.</summary>
    public const int MinLength = 4 + 4;

    public const int MaxLength = 4 + 16;

    /// <summary>Subflows to this address are backups: used when no regular subflow is left.</summary>
    public const byte BackupFlag = 0x01;

    public readonly byte PathId;

    public readonly WireAddress Address;

    public readonly ushort Port;

    public readonly bool Backup;

    public PathAddFrame(byte pathId, WireAddress address, ushort port, bool backup = false)
    {
        ArgumentOutOfRangeException.ThrowIfZero(pathId);
        ArgumentOutOfRangeException.ThrowIfZero(port);
        if (address.Kind == AddressKind.None || address.IsUnspecified)
        {
            throw new ArgumentException("A path needs a specified IPv4 or IPv6 address.", nameof(address));
        }

        PathId = pathId;
        Address = address;
        Port = port;
        Backup = backup;
    }

    public static FrameType Type => FrameType.PathAdd;

    public byte Flags => Backup ? BackupFlag : (byte)0;

    public int BodyLength => 4 + Address.Length;

    public void WriteBody(Span<byte> destination)
    {
        destination[0] = PathId;
        destination[1] = (byte)Address.Kind;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Port);
        Address.Write(destination[4..]);
    }

    internal static bool TryRead(byte flags, ReadOnlySpan<byte> head, out PathAddFrame frame, out ProtocolError error)
    {
        frame = default;
        var kind = (AddressKind)head[1];
        var expected = kind switch
        {
            AddressKind.IPv4 => MinLength,
            AddressKind.IPv6 => MaxLength,
            _ => -1,
        };
        if (expected < 0)
        {
            error = new(ProtocolErrorReason.InvalidAddress, (byte)Type, "The path announcement names an unknown address family.");
            return false;
        }

        if (head.Length != expected)
        {
            error = new(ProtocolErrorReason.InvalidLength, (byte)Type, "The path announcement's length does not fit its address family.");
            return false;
        }

        var pathId = head[0];
        var port = BinaryPrimitives.ReadUInt16BigEndian(head[2..]);
        var address = WireAddress.Read(kind, head[4..]);
        if (pathId == 0)
        {
            error = new(ProtocolErrorReason.InvalidField, (byte)Type, "The path announcement uses path id 0, which names the first subflow's address.");
            return false;
        }

        if (port == 0 || address.IsUnspecified)
        {
            error = new(ProtocolErrorReason.InvalidAddress, (byte)Type, "The path announcement has port 0 or an unspecified address.");
            return false;
        }

        frame = new(pathId, address, port, (flags & BackupFlag) != 0);
        error = default;
        return true;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"PATH_ADD path={PathId} address={Address} port={Port}{(Backup ? " BACKUP" : "")}");
}
