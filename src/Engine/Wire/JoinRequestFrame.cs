using System.Buffers.Binary;
using System.Globalization;

namespace ProgMp.Engine.Wire;

/// <summary>
/// The client's first frame on an additional subflow (docs/protocol.md, "JOIN_REQUEST", like MPTCP's
/// MP_JOIN SYN): which session, a fresh nonce, and the client's path (address id) for this subflow.
/// </summary>
/// <remarks>An opening frame, version-stable like <see cref="SetupFrame"/>; undefined flags are ignored.</remarks>
internal readonly struct JoinRequestFrame : IFrame
{
    /// <summary>Magic (4), version (2), token (8), client nonce (16), path id (1).</summary>
    public const int FixedLength = 4 + 2 + 8 + JoinNonce.Length + 1;

    /// <summary>The subflow starts as a backup path (MP_JOIN's B bit).</summary>
    public const byte BackupFlag = 0x01;

    /// <summary>The session's negotiated version; a join with another is refused.</summary>
    public readonly ushort Version;

    public readonly ulong Token;

    public readonly JoinNonce ClientNonce;

    /// <summary>The client's address id of this subflow (0 is the first subflow's address).</summary>
    public readonly byte PathId;

    public readonly bool Backup;

    public JoinRequestFrame(ushort version, ulong token, in JoinNonce clientNonce, byte pathId, bool backup)
    {
        ArgumentOutOfRangeException.ThrowIfZero(version);
        ArgumentOutOfRangeException.ThrowIfZero(token);
        Version = version;
        Token = token;
        ClientNonce = clientNonce;
        PathId = pathId;
        Backup = backup;
    }

    public static FrameType Type => FrameType.JoinRequest;

    public byte Flags => Backup ? BackupFlag : (byte)0;

    public int BodyLength => FixedLength;

    public void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, WireFormat.Magic);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], Version);
        BinaryPrimitives.WriteUInt64BigEndian(destination[6..], Token);
        ((ReadOnlySpan<byte>)ClientNonce).CopyTo(destination[14..]);
        destination[30] = PathId;
    }

    internal static bool TryRead(byte flags, ReadOnlySpan<byte> head, out JoinRequestFrame frame, out ProtocolError error)
    {
        frame = default;
        if (BinaryPrimitives.ReadUInt32BigEndian(head) != WireFormat.Magic)
        {
            error = new(ProtocolErrorReason.BadMagic, (byte)Type, "The join request lacks the protocol's magic number.");
            return false;
        }

        var version = BinaryPrimitives.ReadUInt16BigEndian(head[4..]);
        var token = BinaryPrimitives.ReadUInt64BigEndian(head[6..]);
        if (version == 0 || token == 0)
        {
            error = new(ProtocolErrorReason.InvalidField, (byte)Type, "The join request has version 0 or token 0.");
            return false;
        }

        JoinNonce nonce = default;
        head.Slice(14, JoinNonce.Length).CopyTo(nonce);
        frame = new(version, token, nonce, head[30], (flags & BackupFlag) != 0);
        error = default;
        return true;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"JOIN_REQUEST version={Version} token={Token:X16} nonce={Convert.ToHexString(ClientNonce)} path={PathId}{(Backup ? " BACKUP" : "")}");
}
