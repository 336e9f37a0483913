namespace ProgMp.Engine.Wire;

/// <summary>
/// The first byte of every frame (docs/protocol.md, "Frame types"). Codes are grouped by purpose
/// (0x0_ handshake and close, 0x1_ streams, 0x2_ liveness, 0x3_ paths) so a trace reads at a glance;
/// 0 is never a frame, so a zeroed buffer fails at its first byte.
/// </summary>
internal enum FrameType : byte
{
    /// <summary>Not a frame; a decoded <see cref="Frame"/> never has this type.</summary>
    None = 0x00,

    /// <summary>Client's opening frame on the first subflow: versions it speaks and its key half.</summary>
    Setup = 0x01,

    /// <summary>Server's answer to <see cref="Setup"/>: chosen version, session token and its key half.</summary>
    SetupAck = 0x02,

    /// <summary>Client's opening frame on an additional subflow: session token and a fresh nonce.</summary>
    JoinRequest = 0x03,

    /// <summary>Server's nonce and a truncated HMAC proving it knows the session secret.</summary>
    JoinChallenge = 0x04,

    /// <summary>Client's full HMAC proving it knows the session secret.</summary>
    JoinConfirm = 0x05,

    /// <summary>Server accepted the join: the subflow now belongs to the session.</summary>
    JoinAccept = 0x06,

    /// <summary>Ends the session (or refuses a connection during a handshake), with a reason.</summary>
    Close = 0x07,

    /// <summary>Opens a stream, optionally naming the destination a proxy should connect to.</summary>
    StreamOpen = 0x10,

    /// <summary>Stream bytes at a data sequence number, with the sender's timestamp.</summary>
    Data = 0x11,

    /// <summary>Data-level acknowledgement: cumulative ack, receive window, echo of one data frame.</summary>
    DataAck = 0x12,

    /// <summary>Aborts a stream in both directions with a reason (TCP's RST, not its FIN).</summary>
    StreamReset = 0x13,

    /// <summary>Asks for a <see cref="Pong"/> on the same subflow, to measure RTT on an idle subflow.</summary>
    Ping = 0x20,

    /// <summary>Answers a <see cref="Ping"/> on the subflow it arrived on.</summary>
    Pong = 0x21,

    /// <summary>Announces an address of the sender that the peer may open subflows to.</summary>
    PathAdd = 0x30,

    /// <summary>Withdraws an address of the sender; subflows using it are closed.</summary>
    PathRemove = 0x31,

    /// <summary>Marks an address of the sender as backup or regular.</summary>
    PathPriority = 0x32,
}
