using System.Runtime.CompilerServices;

namespace ProgMp.Engine.Wire;

/// <summary>
/// One side's random half of the session's key material, sent in clear in setup (as MPTCP v1 sends its
/// keys). 256 bits, so that guessing is hopeless even though the half is public to on-path observers.
/// </summary>
[InlineArray(Length)]
internal struct SessionKey
{
    public const int Length = 32;

    private byte _element0;
}
