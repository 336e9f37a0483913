using System.Diagnostics.CodeAnalysis;

namespace ProgMp.Compiler.Binding;

/// <summary>Every property and operation, by the type it belongs to. Names are case-sensitive.</summary>
internal static class MemberTable
{
    private static readonly Dictionary<(BoundType, string), MemberInfo> s_members = Build();

    public static bool TryGet(BoundType type, string name, [NotNullWhen(true)] out MemberInfo? member) =>
        s_members.TryGetValue((type, name), out member);

    private static Dictionary<(BoundType, string), MemberInfo> Build()
    {
        var members = new Dictionary<(BoundType, string), MemberInfo>();

        void Add(BoundType type, MemberInfo member) => members.Add((type, member.Name), member);

        const BoundType I = BoundType.Integer;
        const BoundType B = BoundType.Boolean;

        Add(BoundType.Packet, new("SEQ", MemberKind.PacketProperty, MemberParameter.None, I, false, PacketProperty: PacketProperty.Seq));
        Add(BoundType.Packet, new("LENGTH", MemberKind.PacketProperty, MemberParameter.None, I, false, PacketProperty: PacketProperty.Length));
        Add(BoundType.Packet, new("USER", MemberKind.PacketProperty, MemberParameter.None, I, false, PacketProperty: PacketProperty.User));
        Add(BoundType.Packet, new("PSH", MemberKind.PacketProperty, MemberParameter.None, B, false, PacketProperty: PacketProperty.Psh));
        Add(BoundType.Packet, new("SENT_ON_ALL", MemberKind.PacketProperty, MemberParameter.None, B, false, PacketProperty: PacketProperty.SentOnAll));
        Add(BoundType.Packet, new("SENT_ON", MemberKind.SentOn, MemberParameter.Subflow, B, true));

        (string Name, SubflowProperty Property, BoundType Type)[] subflowProperties =
        [
            ("ID", SubflowProperty.Id, I), ("RTT", SubflowProperty.Rtt, I), ("RTT_VAR", SubflowProperty.RttVar, I),
            ("RTT_MS", SubflowProperty.RttMs, I), ("DELAY_OUT", SubflowProperty.DelayOut, I), ("DELAY_IN", SubflowProperty.DelayIn, I),
            ("CWND", SubflowProperty.Cwnd, I), ("SSTHRESH", SubflowProperty.Ssthresh, I),
            ("SKBS_IN_FLIGHT", SubflowProperty.SkbsInFlight, I), ("QUEUED", SubflowProperty.Queued, I),
            ("LOST_SKBS", SubflowProperty.LostSkbs, I), ("BW_OUT_SEND", SubflowProperty.BwOutSend, I),
            ("BW_OUT_ACK", SubflowProperty.BwOutAck, I), ("IS_BACKUP", SubflowProperty.IsBackup, B),
            ("THROTTLED", SubflowProperty.Throttled, B), ("LOSSY", SubflowProperty.Lossy, B), ("USER", SubflowProperty.User, I),
        ];
        foreach (var (name, property, type) in subflowProperties)
        {
            Add(BoundType.Subflow, new(name, MemberKind.SubflowProperty, MemberParameter.None, type, false, SubflowProperty: property));
        }

        Add(BoundType.Subflow, new("HAS_WINDOW_FOR", MemberKind.HasWindowFor, MemberParameter.Packet, B, true));
        Add(BoundType.Subflow, new("PUSH", MemberKind.Statement, MemberParameter.Packet, BoundType.Error, true));
        Add(BoundType.Subflow, new("SET_USER", MemberKind.Statement, MemberParameter.Integer, BoundType.Error, true));

        foreach (var list in new[] { BoundType.SubflowList, BoundType.PacketList })
        {
            var element = list.ElementType();
            Add(list, new("COUNT", MemberKind.ListProperty, MemberParameter.None, I, false, ListOperation: ListOperation.Count));
            Add(list, new("EMPTY", MemberKind.ListProperty, MemberParameter.None, B, false, ListOperation: ListOperation.Empty));
            Add(list, new("GET", MemberKind.ListGet, MemberParameter.Integer, element, true, ListOperation: ListOperation.Get));
            Add(list, new("FILTER", MemberKind.Lambda, MemberParameter.Lambda, list, true, LambdaOperation: LambdaOperation.Filter));
            Add(list, new("MIN", MemberKind.Lambda, MemberParameter.Lambda, element, true, LambdaOperation: LambdaOperation.Min));
            Add(list, new("MAX", MemberKind.Lambda, MemberParameter.Lambda, element, true, LambdaOperation: LambdaOperation.Max));
            Add(list, new("SUM", MemberKind.Lambda, MemberParameter.Lambda, I, true, LambdaOperation: LambdaOperation.Sum));
        }

        Add(BoundType.PacketList, new("TOP", MemberKind.ListProperty, MemberParameter.None, BoundType.Packet, false, ListOperation: ListOperation.Top));
        Add(BoundType.PacketList, new("POP", MemberKind.Pop, MemberParameter.None, BoundType.Packet, true, ListOperation: ListOperation.Pop));
        return members;
    }
}
