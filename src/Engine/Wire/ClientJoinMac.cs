using System.Runtime.CompilerServices;

namespace ProgMp.Engine.Wire;

/// <summary>The client's full HMAC-SHA256 in a join confirm: the proof that admits a subflow.</summary>
[InlineArray(Length)]
internal struct ClientJoinMac
{
    public const int Length = 32;

    private byte _element0;
}
