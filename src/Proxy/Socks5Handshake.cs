using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ProgMp.Engine;

namespace ProgMp.Proxy;

/// <summary>
/// The server side of a SOCKS5 handshake (RFC 1928): the "no authentication" method only, CONNECT
/// only, IPv4, IPv6 and domain-name addresses. Reads exactly the handshake's bytes, so whatever the
/// client sends after its request stays in the socket for the relay.
/// </summary>
internal static class Socks5Handshake
{
    private const byte Version = 5;
    private const byte NoAuthentication = 0x00;
    private const byte Connect = 0x01;
    private const byte AddressIPv4 = 0x01;
    private const byte AddressDomain = 0x03;
    private const byte AddressIPv6 = 0x04;

    /// <summary>
    /// Runs the handshake up to the client's request. Every refusal is answered on the socket here
    /// (0xFF to the method selection, or a reply with the code); the caller closes the connection.
    /// </summary>
    public static async Task<SocksRequest> ReadRequestAsync(Socket socket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        // The longest field: a domain name of 255 bytes and its port.
        var buffer = new byte[byte.MaxValue + 2];
        if (!await ReceiveExactAsync(socket, buffer.AsMemory(0, 2), cancellationToken).ConfigureAwait(false))
        {
            return new SocksRequest(null, SocksReply.GeneralFailure, "the client closed the connection before its greeting");
        }

        if (buffer[0] != Version)
        {
            // No SOCKS5 message says "wrong version"; "no acceptable methods" is the answer a client of any version can tell is a refusal.
            await SendQuietlyAsync(socket, [Version, (byte)SocksReply.NoAcceptableMethods], cancellationToken).ConfigureAwait(false);
            return new SocksRequest(null, SocksReply.NoAcceptableMethods, $"version {buffer[0]} is not SOCKS5");
        }

        var methods = buffer[1];
        if (!await ReceiveExactAsync(socket, buffer.AsMemory(0, methods), cancellationToken).ConfigureAwait(false))
        {
            return new SocksRequest(null, SocksReply.GeneralFailure, "the client closed the connection during its greeting");
        }

        if (Array.IndexOf(buffer, NoAuthentication, 0, methods) < 0)
        {
            await SendQuietlyAsync(socket, [Version, (byte)SocksReply.NoAcceptableMethods], cancellationToken).ConfigureAwait(false);
            return new SocksRequest(null, SocksReply.NoAcceptableMethods, "the client offers no method without authentication");
        }

        await socket.SendAsync(new byte[] { Version, NoAuthentication }, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        if (!await ReceiveExactAsync(socket, buffer.AsMemory(0, 4), cancellationToken).ConfigureAwait(false))
        {
            return new SocksRequest(null, SocksReply.GeneralFailure, "the client closed the connection before its request");
        }

        if (buffer[0] != Version)
        {
            return await RefuseAsync(socket, SocksReply.GeneralFailure, $"the request has version {buffer[0]}, not 5", cancellationToken).ConfigureAwait(false);
        }

        if (buffer[1] != Connect)
        {
            var name = buffer[1] switch { 0x02 => "BIND", 0x03 => "UDP ASSOCIATE", _ => $"command {buffer[1]}" };
            return await RefuseAsync(socket, SocksReply.CommandNotSupported, $"{name} is not supported, only CONNECT", cancellationToken).ConfigureAwait(false);
        }

        var addressType = buffer[3];
        EndPoint destination;
        switch (addressType)
        {
            case AddressIPv4:
            case AddressIPv6:
                {
                    var length = addressType == AddressIPv4 ? 4 : 16;
                    if (!await ReceiveExactAsync(socket, buffer.AsMemory(0, length + 2), cancellationToken).ConfigureAwait(false))
                    {
                        return new SocksRequest(null, SocksReply.GeneralFailure, "the client closed the connection during its request");
                    }

                    var address = new IPAddress(buffer.AsSpan(0, length));
                    destination = new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(length)));
                    break;
                }

            case AddressDomain:
                {
                    if (!await ReceiveExactAsync(socket, buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false))
                    {
                        return new SocksRequest(null, SocksReply.GeneralFailure, "the client closed the connection during its request");
                    }

                    var length = buffer[0];
                    if (!await ReceiveExactAsync(socket, buffer.AsMemory(0, length + 2), cancellationToken).ConfigureAwait(false))
                    {
                        return new SocksRequest(null, SocksReply.GeneralFailure, "the client closed the connection during its request");
                    }

                    var port = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(length));
                    var name = Encoding.ASCII.GetString(buffer, 0, length);
                    if (length == 0 || buffer.AsSpan(0, length).ContainsAnyExceptInRange((byte)0x21, (byte)0x7E))
                    {
                        return await RefuseAsync(socket, SocksReply.HostUnreachable, "the domain name is empty or not printable ASCII", cancellationToken).ConfigureAwait(false);
                    }

                    // Clients such as curl --socks5-hostname send IP literals as names; connect to them as addresses.
                    destination = AllowRule.TryParseAddress(name, out var literal) ? new IPEndPoint(literal, port) : new DnsEndPoint(name, port);
                    break;
                }

            default:
                return await RefuseAsync(socket, SocksReply.AddressTypeNotSupported, $"address type {addressType} is not supported", cancellationToken).ConfigureAwait(false);
        }

        var destinationPort = destination is IPEndPoint ip ? ip.Port : ((DnsEndPoint)destination).Port;
        if (destinationPort == 0 || (destination is IPEndPoint { Address: var a } && (a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any))))
        {
            return await RefuseAsync(socket, SocksReply.NotAllowed, $"{destination} is not a destination one can connect to", cancellationToken).ConfigureAwait(false);
        }

        return new SocksRequest(destination, SocksReply.Succeeded, null);
    }

    /// <summary>
    /// The reply to a CONNECT. The bound address is reported as 0.0.0.0:0: the connection to the
    /// destination belongs to the remote proxy, and its address means nothing on this side.
    /// </summary>
    public static ValueTask<int> SendReplyAsync(Socket socket, SocksReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return socket.SendAsync(new byte[] { Version, (byte)reply, 0, AddressIPv4, 0, 0, 0, 0, 0, 0 }, SocketFlags.None, cancellationToken);
    }

    /// <summary>The reply code that says what a remote proxy's reset says.</summary>
    public static SocksReply ReplyFor(ResetReason reason) => reason switch
    {
        ResetReason.Refused => SocksReply.NotAllowed,
        ResetReason.ConnectionRefused => SocksReply.ConnectionRefused,
        ResetReason.HostNotFound => SocksReply.HostUnreachable,
        ResetReason.DestinationUnreachable => SocksReply.NetworkUnreachable,
        ResetReason.Timeout => SocksReply.TtlExpired,
        _ => SocksReply.GeneralFailure,
    };

    private static async Task<SocksRequest> RefuseAsync(Socket socket, SocksReply reply, string problem, CancellationToken cancellationToken)
    {
        try
        {
            await SendReplyAsync(socket, reply, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // The client went away; the refusal is logged all the same.
        }

        return new SocksRequest(null, reply, problem);
    }

    private static async Task SendQuietlyAsync(Socket socket, byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // As in RefuseAsync.
        }
    }

    /// <summary>Fills <paramref name="buffer"/>; false if the peer closed first.</summary>
    internal static async ValueTask<bool> ReceiveExactAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            buffer = buffer[n..];
        }

        return true;
    }
}
