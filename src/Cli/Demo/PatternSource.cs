using System.Buffers.Binary;

namespace ProgMp.Cli.Demo;

/// <summary>
/// The demo's data: a deterministic pseudo-random byte stream (xorshift64*), so every run sends the
/// same bytes and any reordering, loss or duplicate the engine let through changes the receiver's hash.
/// </summary>
internal sealed class PatternSource
{
    private ulong _state;

    public PatternSource(ulong seed = 0x9E3779B97F4A7C15)
    {
        _state = seed == 0 ? 1 : seed;
    }

    /// <summary>Fills <paramref name="buffer"/> (a multiple of 8 bytes) with the next bytes of the stream.</summary>
    public void Fill(Span<byte> buffer)
    {
        if (buffer.Length % sizeof(ulong) != 0)
        {
            throw new ArgumentException("The buffer must be a multiple of 8 bytes.", nameof(buffer));
        }

        var x = _state;
        for (var i = 0; i < buffer.Length; i += sizeof(ulong))
        {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            BinaryPrimitives.WriteUInt64LittleEndian(buffer[i..], x * 0x2545F4914F6CDD1D);
        }

        _state = x;
    }
}
