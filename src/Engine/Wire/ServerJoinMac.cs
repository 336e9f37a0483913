using System.Runtime.CompilerServices;

namespace ProgMp.Engine.Wire;

/// <summary>
/// The server's HMAC in a join challenge, truncated to 64 bits as MPTCP's MP_JOIN truncates its
/// SYN/ACK HMAC: enough to show the server knows the secret before the client reveals its own proof.
/// </summary>
[InlineArray(Length)]
internal struct ServerJoinMac
{
    public const int Length = 8;

    private byte _element0;
}
