using System.Runtime.InteropServices;
using ProgMp.Runtime.Model;

namespace ProgMp.Compiler.Interpretation;

/// <summary>
/// A run-time value of the interpreter: a small tagged union, so that integers and booleans are not
/// boxed. Every value carries its own kind, NULL included (LANGUAGE.md, "NULL": every value may be NULL).
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal readonly struct InterpreterValue
{
    private readonly long _number;
    private readonly object? _reference;

    private InterpreterValue(InterpreterValueKind kind, long number, object? reference)
    {
        Kind = kind;
        _number = number;
        _reference = reference;
    }

    public static InterpreterValue Null => default;

    public static InterpreterValue True { get; } = new(InterpreterValueKind.Boolean, 1, null);

    public static InterpreterValue False { get; } = new(InterpreterValueKind.Boolean, 0, null);

    public InterpreterValueKind Kind { get; }

    public bool IsNull => Kind == InterpreterValueKind.Null;

    /// <summary>TRUE only for the boolean TRUE: NULL counts as FALSE in conditions, AND, OR and FILTER.</summary>
    public bool IsTrue => Kind == InterpreterValueKind.Boolean && _number != 0;

    public long Integer => Kind == InterpreterValueKind.Integer ? _number : throw Wrong(InterpreterValueKind.Integer);

    public bool Boolean => Kind == InterpreterValueKind.Boolean ? _number != 0 : throw Wrong(InterpreterValueKind.Boolean);

    public SubflowView Subflow => Kind == InterpreterValueKind.Subflow ? (SubflowView)_reference! : throw Wrong(InterpreterValueKind.Subflow);

    public Packet Packet => Kind == InterpreterValueKind.Packet ? (Packet)_reference! : throw Wrong(InterpreterValueKind.Packet);

    public PacketList PacketList => Kind == InterpreterValueKind.PacketList ? (PacketList)_reference! : throw Wrong(InterpreterValueKind.PacketList);

    public SubflowList SubflowList => Kind == InterpreterValueKind.SubflowList ? (SubflowList)_reference! : throw Wrong(InterpreterValueKind.SubflowList);

    public static InterpreterValue FromInteger(long value) => new(InterpreterValueKind.Integer, value, null);

    public static InterpreterValue FromBoolean(bool value) => value ? True : False;

    /// <summary>A subflow, or NULL for a null reference.</summary>
    public static InterpreterValue FromSubflow(SubflowView? subflow) =>
        subflow is null ? Null : new(InterpreterValueKind.Subflow, 0, subflow);

    /// <summary>A packet, or NULL for a null reference.</summary>
    public static InterpreterValue FromPacket(Packet? packet) =>
        packet is null ? Null : new(InterpreterValueKind.Packet, 0, packet);

    public static InterpreterValue FromPacketList(PacketList list) => new(InterpreterValueKind.PacketList, 0, list);

    public static InterpreterValue FromSubflowList(SubflowList list) => new(InterpreterValueKind.SubflowList, 0, list);

    /// <summary>
    /// <c>==</c> (LANGUAGE.md, "NULL"): never NULL; two NULLs are equal, a NULL and a value are not;
    /// integers and booleans by value, subflows, packets and lists by identity.
    /// </summary>
    public static bool AreEqual(in InterpreterValue left, in InterpreterValue right)
    {
        if (left.IsNull || right.IsNull)
        {
            return left.IsNull && right.IsNull;
        }

        if (left.Kind != right.Kind)
        {
            throw new InvalidOperationException($"The binder let {left.Kind} be compared with {right.Kind}.");
        }

        return left.Kind is InterpreterValueKind.Integer or InterpreterValueKind.Boolean
            ? left._number == right._number
            : ReferenceEquals(left._reference, right._reference);
    }

    public override string ToString() => Kind switch
    {
        InterpreterValueKind.Null => "NULL",
        InterpreterValueKind.Integer => _number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        InterpreterValueKind.Boolean => _number != 0 ? "TRUE" : "FALSE",
        _ => _reference!.ToString() ?? Kind.ToString(),
    };

    private InvalidOperationException Wrong(InterpreterValueKind expected) =>
        new($"Expected {expected}, the value is {Kind}: the bound tree and the interpreter disagree.");
}
