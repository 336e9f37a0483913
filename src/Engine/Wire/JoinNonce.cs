using System.Runtime.CompilerServices;

namespace ProgMp.Engine.Wire;

/// <summary>
/// A fresh random value per join and side. Both nonces enter both HMACs, so a recorded join cannot be
/// replayed: the server's nonce differs next time.
/// </summary>
[InlineArray(Length)]
internal struct JoinNonce
{
    public const int Length = 16;

    private byte _element0;
}
