using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;

namespace ProgMp.Engine.Wire;

/// <summary>
/// Where a stream should be connected by the peer: nothing (the peer's application accepts it), an IP
/// end point, or a host name the peer resolves, as a TM3 or MPTCP proxy pair needs.
/// </summary>
/// <remarks>
/// The host name is ASCII bytes. A decoded destination borrows them from the decoder's input (valid
/// until that input is released); <see cref="GetHostName"/> makes the string when connecting.
/// </remarks>
internal readonly struct Destination
{
    private Destination(DestinationKind kind, ushort port, WireAddress address, ReadOnlySequence<byte> hostName)
    {
        Kind = kind;
        Port = port;
        Address = address;
        HostName = hostName;
    }

    /// <summary>No destination (the default value).</summary>
    public static Destination None => default;

    public DestinationKind Kind { get; }

    /// <summary>TCP port, never 0 unless <see cref="Kind"/> is <see cref="DestinationKind.None"/>.</summary>
    public ushort Port { get; }

    /// <summary>The address, for <see cref="DestinationKind.IPv4"/> and <see cref="DestinationKind.IPv6"/>.</summary>
    public WireAddress Address { get; }

    /// <summary>ASCII host name bytes, for <see cref="DestinationKind.HostName"/>; empty otherwise.</summary>
    public ReadOnlySequence<byte> HostName { get; }

    /// <summary>Bytes this destination takes in a stream open after the kind byte.</summary>
    internal int EncodedLength => Kind switch
    {
        DestinationKind.IPv4 or DestinationKind.IPv6 => 2 + Address.Length,
        DestinationKind.HostName => 3 + (int)HostName.Length,
        _ => 0,
    };

    public static Destination FromAddress(IPAddress address, ushort port) =>
        FromAddress(WireAddress.FromIPAddress(address), port);

    public static Destination FromAddress(WireAddress address, ushort port)
    {
        if (address.Kind == AddressKind.None || address.IsUnspecified)
        {
            throw new ArgumentException("A destination needs a specified IPv4 or IPv6 address.", nameof(address));
        }

        ArgumentOutOfRangeException.ThrowIfZero(port);
        var kind = address.Kind == AddressKind.IPv4 ? DestinationKind.IPv4 : DestinationKind.IPv6;
        return new(kind, port, address, ReadOnlySequence<byte>.Empty);
    }

    /// <summary>A host name given as ASCII bytes, which the destination keeps (it does not copy them).</summary>
    public static Destination FromHostName(ReadOnlyMemory<byte> asciiHostName, ushort port)
    {
        var name = new ReadOnlySequence<byte>(asciiHostName);
        if (!IsValidHostName(name))
        {
            throw new ArgumentException(
                "A host name is 1 to 255 bytes of dot-separated labels of 1 to 63 letters, digits, '-' or '_'.",
                nameof(asciiHostName));
        }

        ArgumentOutOfRangeException.ThrowIfZero(port);
        return new(DestinationKind.HostName, port, default, name);
    }

    /// <summary>Allocates the name's bytes: for configuration, not for frame handling.</summary>
    public static Destination FromHostName(string hostName, ushort port)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        return FromHostName(Encoding.ASCII.GetBytes(hostName), port);
    }

    /// <summary>The host name as a string (allocates): for the moment of connecting.</summary>
    public string GetHostName() => Encoding.ASCII.GetString(HostName);

    /// <summary>
    /// The rule a host name on the wire follows (docs/protocol.md, "Destinations"): 1 to 255 bytes,
    /// non-empty dot-separated labels of at most 63 bytes, each byte a letter, digit, '-' or '_'.
    /// Checking it on receipt keeps control bytes and separators out of logs and resolvers.
    /// </summary>
    public static bool IsValidHostName(ReadOnlySequence<byte> name)
    {
        if (name.IsEmpty || name.Length > WireFormat.MaxHostNameLength)
        {
            return false;
        }

        var label = 0;
        foreach (var segment in name)
        {
            foreach (var b in segment.Span)
            {
                if (b == (byte)'.')
                {
                    if (label == 0)
                    {
                        return false;
                    }

                    label = 0;
                }
                else if (IsHostNameByte(b) && label < 63)
                {
                    label++;
                }
                else
                {
                    return false;
                }
            }
        }

        return label > 0;
    }

    private static bool IsHostNameByte(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'-' or (byte)'_';

    /// <summary>Writes <see cref="EncodedLength"/> bytes: port, then the address or the name.</summary>
    internal void Write(Span<byte> destination)
    {
        if (Kind == DestinationKind.None)
        {
            return;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, Port);
        if (Kind == DestinationKind.HostName)
        {
            destination[2] = (byte)HostName.Length;
            HostName.CopyTo(destination[3..]);
        }
        else
        {
            Address.Write(destination[2..]);
        }
    }

    /// <summary>
    /// Reads the destination of a stream open. <paramref name="head"/> holds the bytes after the kind
    /// byte as far as the body's fixed prefix goes (enough for port, address and name length);
    /// <paramref name="rest"/> is the whole body after the kind byte.
    /// </summary>
    internal static bool TryRead(
        DestinationKind kind,
        ReadOnlySpan<byte> head,
        ReadOnlySequence<byte> rest,
        out Destination destination,
        out ProtocolError error)
    {
        destination = default;
        error = default;
        switch (kind)
        {
            case DestinationKind.None:
                if (!rest.IsEmpty)
                {
                    return Fail(ProtocolErrorReason.InvalidLength, "A stream open without a destination has bytes after the kind.", out error);
                }

                return true;

            case DestinationKind.IPv4:
            case DestinationKind.IPv6:
                var addressKind = kind == DestinationKind.IPv4 ? AddressKind.IPv4 : AddressKind.IPv6;
                var addressLength = addressKind == AddressKind.IPv4 ? 4 : 16;
                if (rest.Length != 2 + addressLength)
                {
                    return Fail(ProtocolErrorReason.InvalidLength, "A stream open's address destination has the wrong length.", out error);
                }

                var address = WireAddress.Read(addressKind, head.Slice(2, addressLength));
                var port = BinaryPrimitives.ReadUInt16BigEndian(head);
                if (port == 0 || address.IsUnspecified)
                {
                    return Fail(ProtocolErrorReason.InvalidDestination, "A stream open's destination has port 0 or an unspecified address.", out error);
                }

                destination = new(kind, port, address, ReadOnlySequence<byte>.Empty);
                return true;

            case DestinationKind.HostName:
                if (rest.Length < 3 || rest.Length != 3 + head[2])
                {
                    return Fail(ProtocolErrorReason.InvalidLength, "A stream open's host name length disagrees with the frame length.", out error);
                }

                var namePort = BinaryPrimitives.ReadUInt16BigEndian(head);
                var name = rest.Slice(3);
                if (namePort == 0 || !IsValidHostName(name))
                {
                    return Fail(ProtocolErrorReason.InvalidDestination, "A stream open's destination has port 0 or an invalid host name.", out error);
                }

                destination = new(kind, namePort, default, name);
                return true;

            default:
                return Fail(ProtocolErrorReason.InvalidDestination, "A stream open names an unknown destination kind.", out error);
        }
    }

    private static bool Fail(ProtocolErrorReason reason, string message, out ProtocolError error)
    {
        error = new(reason, (byte)FrameType.StreamOpen, message);
        return false;
    }

    public override string ToString() => Kind switch
    {
        DestinationKind.None => "none",
        DestinationKind.HostName => string.Create(CultureInfo.InvariantCulture, $"{GetHostName()}:{Port}"),
        DestinationKind.IPv6 => string.Create(CultureInfo.InvariantCulture, $"[{Address}]:{Port}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Address}:{Port}"),
    };
}
