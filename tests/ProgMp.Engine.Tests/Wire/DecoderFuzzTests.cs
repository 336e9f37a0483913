using System.Buffers;
using ProgMp.Engine.Wire;

namespace ProgMp.Engine.Tests.Wire;

/// <summary>
/// Bounded, seeded random input: the decoder must answer every buffer with a status, never an
/// exception, and never claim to consume bytes it was not given. Seeds are fixed so a failure repeats.
/// </summary>
public sealed class DecoderFuzzTests
{
    private const int Buffers = 10_000;

    [Test]
    public void Random_junk_never_makes_the_decoder_throw()
    {
        var random = new Random(20_240_601);
        var buffer = new byte[300];
        var outcomes = new int[3];

        for (var i = 0; i < Buffers; i++)
        {
            var length = random.Next(buffer.Length + 1);
            random.NextBytes(buffer.AsSpan(0, length));
            outcomes[(int)DecodeAll(buffer.AsMemory(0, length), random)]++;
        }

        Assert.That(outcomes.Sum(), Is.EqualTo(Buffers));
    }

    [Test]
    public void Random_bodies_behind_plausible_headers_never_make_the_decoder_throw()
    {
        var random = new Random(7);
        var types = Enum.GetValues<FrameType>().Where(t => t != FrameType.None).ToArray();
        var buffer = new byte[WireFormat.HeaderLength + 300];
        var outcomes = new int[3];

        for (var i = 0; i < Buffers; i++)
        {
            var type = (byte)types[random.Next(types.Length)];
            WireFormat.TryGetRules(type, out var rules);
            var bodyLength = Math.Min(300, rules.MinBody + random.Next(Math.Min(rules.MaxBody, 300) - rules.MinBody + 2));
            buffer[0] = type;
            buffer[1] = random.Next(4) == 0 ? (byte)random.Next(256) : (byte)(rules.AllowedFlags & random.Next(256));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(2), (uint)bodyLength);
            random.NextBytes(buffer.AsSpan(WireFormat.HeaderLength, bodyLength));
            outcomes[(int)DecodeAll(buffer.AsMemory(0, WireFormat.HeaderLength + bodyLength), random)]++;
        }

        Assert.That(outcomes.Sum(), Is.EqualTo(Buffers));
        Assert.That(outcomes[(int)DecodeStatus.Decoded], Is.GreaterThan(0), "some random bodies are valid frames");
        Assert.That(outcomes[(int)DecodeStatus.Error], Is.GreaterThan(0), "some random bodies are refused");
    }

    [Test]
    public void Valid_frames_with_random_bytes_changed_never_make_the_decoder_throw()
    {
        var random = new Random(99);
        var samples = FrameSamples.Small;
        var outcomes = new int[3];

        for (var i = 0; i < Buffers; i++)
        {
            var bytes = (byte[])samples[random.Next(samples.Count)].Bytes.Clone();
            for (var changes = random.Next(1, 4); changes > 0; changes--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            outcomes[(int)DecodeAll(bytes, random)]++;
        }

        Assert.That(outcomes.Sum(), Is.EqualTo(Buffers));
    }

    /// <summary>
    /// Decodes frames until the buffer yields no more (the buffer cut into random segments); returns
    /// <see cref="DecodeStatus.Decoded"/> if any frame decoded, else the status that stopped it.
    /// </summary>
    private static DecodeStatus DecodeAll(ReadOnlyMemory<byte> bytes, Random random)
    {
        var cuts = new int[random.Next(4)];
        for (var c = 0; c < cuts.Length; c++)
        {
            cuts[c] = random.Next(bytes.Length + 1);
        }

        var buffer = WireTestKit.Segmented(bytes, cuts);
        var decoded = false;
        DecodeStatus status;
        long before;
        do
        {
            before = buffer.Length;
            status = FrameDecoder.Decode(ref buffer, out _, out var error);
            if (status != DecodeStatus.Decoded)
            {
                Assert.That(buffer.Length, Is.EqualTo(before), "only a decoded frame consumes bytes");
            }

            if (status == DecodeStatus.Error)
            {
                Assert.That(error.Message, Is.Not.Empty);
            }

            decoded |= status == DecodeStatus.Decoded;
        }
        while (status == DecodeStatus.Decoded && buffer.Length < before);

        return decoded ? DecodeStatus.Decoded : status;
    }
}
