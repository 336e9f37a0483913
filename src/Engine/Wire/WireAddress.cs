using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace ProgMp.Engine.Wire;

/// <summary>
/// An IPv4 or IPv6 address held by value, so that frames carrying one stay free of allocations;
/// <see cref="IPAddress"/> (a class) is made only where the engine connects.
/// </summary>
internal readonly struct WireAddress : IEquatable<WireAddress>
{
    private readonly UInt128 _bits;

    private WireAddress(AddressKind kind, UInt128 bits)
    {
        Kind = kind;
        _bits = bits;
    }

    public AddressKind Kind { get; }

    /// <summary>Bytes of the address on the wire: 4 or 16 (0 for the default value).</summary>
    public int Length => Kind switch
    {
        AddressKind.IPv4 => 4,
        AddressKind.IPv6 => 16,
        _ => 0,
    };

    /// <summary>0.0.0.0 or ::, which name no peer and so are refused in frames.</summary>
    public bool IsUnspecified => _bits == UInt128.Zero;

    public static WireAddress FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException("The address does not fit 16 bytes.", nameof(address));
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => Read(AddressKind.IPv4, bytes[..written]),
            AddressFamily.InterNetworkV6 => Read(AddressKind.IPv6, bytes[..written]),
            _ => throw new ArgumentException("Only IPv4 and IPv6 addresses go on the wire.", nameof(address)),
        };
    }

    /// <summary>Reads an address of <paramref name="kind"/> from exactly <see cref="Length"/> bytes.</summary>
    public static WireAddress Read(AddressKind kind, ReadOnlySpan<byte> source) => kind switch
    {
        AddressKind.IPv4 => new(kind, BinaryPrimitives.ReadUInt32BigEndian(source)),
        AddressKind.IPv6 => new(kind, BinaryPrimitives.ReadUInt128BigEndian(source)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an address family."),
    };

    /// <summary>Writes the <see cref="Length"/> address bytes in network order.</summary>
    public void Write(Span<byte> destination)
    {
        switch (Kind)
        {
            case AddressKind.IPv4:
                BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_bits);
                break;
            case AddressKind.IPv6:
                BinaryPrimitives.WriteUInt128BigEndian(destination, _bits);
                break;
            default:
                throw new InvalidOperationException("The default address has no bytes.");
        }
    }

    /// <summary>Allocates: for the moment of connecting, not for frame handling.</summary>
    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        Write(bytes);
        return new IPAddress(bytes[..Length]);
    }

    public bool Equals(WireAddress other) => Kind == other.Kind && _bits == other._bits;

    public override bool Equals(object? obj) => obj is WireAddress other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _bits);

    public static bool operator ==(WireAddress left, WireAddress right) => left.Equals(right);

    public static bool operator !=(WireAddress left, WireAddress right) => !left.Equals(right);

    public override string ToString() => Kind == AddressKind.None ? "none" : ToIPAddress().ToString();
}
