using System.Buffers;

namespace ProgMp.Engine.Wire;

/// <summary>
/// The buffers that hold data payloads: a stream's segments until they are acknowledged, and received
/// data until the application reads it.
/// </summary>
/// <remarks>
/// Not <see cref="ArrayPool{T}.Shared"/>: that keeps 32 arrays of a size per core, and one bulk stream
/// has a send buffer and a receive window of 64 KiB segments, about 64 each at the defaults, taken and
/// given back in bursts. What the shared pool cannot keep is dropped and allocated again, and at
/// several Gbit/s that was hundreds of megabytes a second of garbage. This pool keeps up to
/// <see cref="MaxFreePerSize"/> free buffers of each size, so the memory it holds after a burst is
/// bounded (about 16 MiB of 64 KiB buffers at most).
/// </remarks>
internal static class PayloadPool
{
    /// <summary>Free buffers kept per size class; more are left to the garbage collector.</summary>
    public const int MaxFreePerSize = 256;

    public static ArrayPool<byte> Shared { get; } = ArrayPool<byte>.Create(WireFormat.MaxDataPayload, MaxFreePerSize);
}
