namespace ProgMp.Compiler.Binding;

internal static class BoundTypeExtensions
{
    /// <summary>The type with an article, for messages: "an integer", "a packet list".</summary>
    public static string Describe(this BoundType type) => type switch
    {
        BoundType.Null => "NULL",
        BoundType.Integer => "an integer",
        BoundType.Boolean => "a boolean",
        BoundType.String => "a string",
        BoundType.Subflow => "a subflow",
        BoundType.SubflowList => "a subflow list",
        BoundType.Packet => "a packet",
        BoundType.PacketList => "a packet list",
        _ => "an invalid value",
    };

    public static bool IsList(this BoundType type) => type is BoundType.SubflowList or BoundType.PacketList;

    public static BoundType ElementType(this BoundType type) => type switch
    {
        BoundType.SubflowList => BoundType.Subflow,
        BoundType.PacketList => BoundType.Packet,
        _ => BoundType.Error,
    };

    /// <summary>True when a value of this type may stand where <paramref name="expected"/> is wanted (the bare NULL fits everywhere).</summary>
    public static bool Fits(this BoundType type, BoundType expected) => type == expected || type is BoundType.Null or BoundType.Error;
}
