using System.Buffers.Binary;
using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// The server's answer to <see cref="SetupFrame"/> (docs/protocol.md, "SETUP_ACK"): the version it chose
/// from the client's range, the session token that joins will name, its half of the key material and
/// the receive window its streams start with.
/// </summary>
internal readonly struct SetupAckFrame : IFrame
{
    /// <summary>Version (2), token (8), server key (32), initial window (4).</summary>
    public const int FixedLength = 2 + 8 + SessionKey.Length + 4;

    public readonly ushort Version;

    /// <summary>
    /// Names the session in joins; chosen at random by the server, never 0, unique among its sessions.
    /// Public like the keys: knowing it does not let anyone join.
    /// </summary>
    public readonly ulong Token;

    public readonly SessionKey ServerKey;

    /// <summary>Bytes each stream may send to the server before its first ack.</summary>
    public readonly uint InitialWindow;

    public SetupAckFrame(ushort version, ulong token, in SessionKey serverKey, uint initialWindow)
    {
        ArgumentOutOfRangeException.ThrowIfZero(version);
        ArgumentOutOfRangeException.ThrowIfZero(token);
        Version = version;
        Token = token;
        ServerKey = serverKey;
        InitialWindow = initialWindow;
    }

    public static FrameType Type => FrameType.SetupAck;

    public byte Flags => 0;

    public int BodyLength => FixedLength;

    public void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Version);
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], Token);
        ((ReadOnlySpan<byte>)ServerKey).CopyTo(destination[10..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination[42..], InitialWindow);
    }

    internal static bool TryRead(ReadOnlySpan<byte> head, out SetupAckFrame frame, out ProtocolError error)
    {
        frame = default;
        var version = BinaryPrimitives.ReadUInt16BigEndian(head);
        var token = BinaryPrimitives.ReadUInt64BigEndian(head[2..]);
        if (version == 0 || token == 0)
        {
            error = new(ProtocolErrorReason.InvalidField, (byte)Type, "The setup acknowledgement has version 0 or token 0.");
            return false;
        }

        SessionKey key = default;
        head.Slice(10, SessionKey.Length).CopyTo(key);
        frame = new(version, token, key, BinaryPrimitives.ReadUInt32BigEndian(head[42..]));
        error = default;
        return true;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"SETUP_ACK version={Version} token={Token:X16} key={Convert.ToHexString(ServerKey)} window={InitialWindow}");
}
