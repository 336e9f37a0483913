using System.Buffers.Binary;

namespace ProgMp.Cli.Compare;

/// <summary>The first bytes of every stream a run opens: the flow's id, by which the server finds the flow in this process.</summary>
internal static class FlowHeader
{
    public const int Bytes = 4;

    public static void Write(Span<byte> destination, int flowId) => BinaryPrimitives.WriteInt32BigEndian(destination, flowId);

    public static int Read(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadInt32BigEndian(source);
}
