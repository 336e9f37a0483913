namespace ProgMp.Proxy;

/// <summary>SOCKS5 reply codes (RFC 1928, section 6), and the method-selection refusal.</summary>
internal enum SocksReply : byte
{
    Succeeded = 0x00,
    GeneralFailure = 0x01,
    NotAllowed = 0x02,
    NetworkUnreachable = 0x03,
    HostUnreachable = 0x04,
    ConnectionRefused = 0x05,
    TtlExpired = 0x06,
    CommandNotSupported = 0x07,
    AddressTypeNotSupported = 0x08,

    /// <summary>Not a reply code: the method-selection answer "no acceptable methods" (0xFF).</summary>
    NoAcceptableMethods = 0xFF,
}
