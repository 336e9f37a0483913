using System.Runtime.CompilerServices;

namespace ProgMp.Engine.Wire;

/// <summary>
/// The session secret, derived from both <see cref="SessionKey"/> halves by
/// <see cref="JoinAuthenticator.DeriveSecret"/>. It never goes on the wire; joins prove knowledge of it.
/// </summary>
[InlineArray(Length)]
internal struct SessionSecret
{
    public const int Length = 32;

    private byte _element0;
}
