namespace ProgMp.Emulation;

/// <summary>
/// Sees every chunk of bytes a <see cref="PathEmulator"/> takes in, before it enters the link, and may
/// change them in place: an on-path observer or attacker for tests. <paramref name="connection"/> is
/// the relayed connection's id (one per subflow the path carries, counted from 1).
/// </summary>
public delegate void PathTap(long connection, PathDirection direction, Span<byte> bytes);
