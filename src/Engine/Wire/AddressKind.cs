namespace ProgMp.Engine.Wire;

/// <summary>The family of an address on the wire; the codes match <see cref="DestinationKind"/>.</summary>
internal enum AddressKind : byte
{
    None = 0,

    /// <summary>Four address bytes.</summary>
    IPv4 = 1,

    /// <summary>Sixteen address bytes.</summary>
    IPv6 = 2,
}
