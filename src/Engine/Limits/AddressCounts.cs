using System.Net;
using System.Net.Sockets;

namespace ProgMp.Engine.Limits;

/// <summary>
/// Counts per source address with a ceiling. An IPv6 source counts by its /64, which one host or
/// customer usually holds whole: per single address, one attacker would have 2^64 budgets. The table
/// holds only addresses with a count above zero, so it is bounded by what it counts.
/// </summary>
internal sealed class AddressCounts
{
    private readonly Dictionary<UInt128, int> _counts = [];
    private readonly Lock _gate = new();

    /// <summary>Adds one for <paramref name="address"/> unless it already has <paramref name="max"/>.</summary>
    public bool TryAdd(IPAddress address, int max)
    {
        var key = Key(address);
        lock (_gate)
        {
            _counts.TryGetValue(key, out var count);
            if (count >= max)
            {
                return false;
            }

            _counts[key] = count + 1;
            return true;
        }
    }

    public void Remove(IPAddress address)
    {
        var key = Key(address);
        lock (_gate)
        {
            if (_counts.TryGetValue(key, out var count))
            {
                if (count <= 1)
                {
                    _counts.Remove(key);
                }
                else
                {
                    _counts[key] = count - 1;
                }
            }
        }
    }

    public int Count(IPAddress address)
    {
        lock (_gate)
        {
            return _counts.GetValueOrDefault(Key(address));
        }
    }

    /// <summary>IPv4 (also when mapped into IPv6) as itself, IPv6 by its first 64 bits, in one key space.</summary>
    private static UInt128 Key(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes[12..], out _);
            bytes[10] = 0xff;
            bytes[11] = 0xff;
        }
        else
        {
            address.TryWriteBytes(bytes, out _);
            bytes[8..].Clear();
            bytes[0] ^= 0x80; // no /64 prefix collides with the IPv4 keys (all of which start with 0).
        }

        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }
}
