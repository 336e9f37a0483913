namespace ProgMp.Engine.Wire;

/// <summary>
/// Versions of the wire format (docs/protocol.md, "Versions"). A version fixes every frame's layout;
/// any change to a frame, or a new frame type, makes a new version. The client offers a range in
/// <see cref="SetupFrame"/>, the server picks the highest it shares in <see cref="SetupAckFrame"/> or
/// refuses with <see cref="CloseReason.UnsupportedVersion"/>.
/// </summary>
internal static class ProtocolVersion
{
    /// <summary>The version this code writes and reads: the first one.</summary>
    public const ushort Current = 1;

    public const ushort Min = 1;

    public const ushort Max = 1;

    /// <summary>The server's choice for a client offering <paramref name="peerMin"/>..<paramref name="peerMax"/>.</summary>
    public static bool TryNegotiate(ushort peerMin, ushort peerMax, out ushort version)
    {
        version = Math.Min(peerMax, Max);
        if (version < Min || version < peerMin)
        {
            version = 0;
            return false;
        }

        return true;
    }

    /// <summary>
    /// The close a server sends when <see cref="TryNegotiate"/> fails: the detail tells the client the
    /// highest version the server speaks, so it can tell "too old" from "too new" in its log.
    /// </summary>
    public static CloseFrame UnsupportedVersionClose() =>
        new(CloseReason.UnsupportedVersion, Max, message: "No protocol version in common.");
}
