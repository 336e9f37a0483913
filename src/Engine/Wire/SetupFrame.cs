using System.Buffers.Binary;
using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// The client's first frame on the session's first subflow (docs/protocol.md, "SETUP"): the version
/// range it speaks, its half of the key material and the receive window its streams start with.
/// </summary>
/// <remarks>
/// An opening frame: its fields keep their places in every version, later versions may append fields
/// (this one ignores bytes after <see cref="FixedLength"/>) and flags are ignored, so that any two
/// versions can at least refuse each other with <see cref="CloseReason.UnsupportedVersion"/>.
/// </remarks>
internal readonly struct SetupFrame : IFrame
{
    /// <summary>Magic (4), min version (2), max version (2), client key (32), initial window (4).</summary>
    public const int FixedLength = 4 + 2 + 2 + SessionKey.Length + 4;

    public readonly ushort MinVersion;

    public readonly ushort MaxVersion;

    public readonly SessionKey ClientKey;

    /// <summary>Bytes each stream opened by either side may send to the client before its first ack.</summary>
    public readonly uint InitialWindow;

    public SetupFrame(ushort minVersion, ushort maxVersion, in SessionKey clientKey, uint initialWindow)
    {
        ArgumentOutOfRangeException.ThrowIfZero(minVersion);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVersion, minVersion);
        MinVersion = minVersion;
        MaxVersion = maxVersion;
        ClientKey = clientKey;
        InitialWindow = initialWindow;
    }

    public static FrameType Type => FrameType.Setup;

    public byte Flags => 0;

    public int BodyLength => FixedLength;

    public void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, WireFormat.Magic);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], MinVersion);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], MaxVersion);
        ((ReadOnlySpan<byte>)ClientKey).CopyTo(destination[8..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination[40..], InitialWindow);
    }

    internal static bool TryRead(ReadOnlySpan<byte> head, out SetupFrame frame, out ProtocolError error)
    {
        frame = default;
        if (BinaryPrimitives.ReadUInt32BigEndian(head) != WireFormat.Magic)
        {
            error = new(ProtocolErrorReason.BadMagic, (byte)Type, "The setup frame lacks the protocol's magic number.");
            return false;
        }

        var min = BinaryPrimitives.ReadUInt16BigEndian(head[4..]);
        var max = BinaryPrimitives.ReadUInt16BigEndian(head[6..]);
        if (min == 0 || max < min)
        {
            error = new(ProtocolErrorReason.InvalidField, (byte)Type, "The setup frame's version range is empty or starts at 0.");
            return false;
        }

        SessionKey key = default;
        head.Slice(8, SessionKey.Length).CopyTo(key);
        frame = new(min, max, key, BinaryPrimitives.ReadUInt32BigEndian(head[40..]));
        error = default;
        return true;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"SETUP versions={MinVersion}..{MaxVersion} key={Convert.ToHexString(ClientKey)} window={InitialWindow}");
}
