using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ProgMp.Runtime.Execution;
using ProgMp.Runtime.Model;

namespace ProgMp.Runtime.Evaluation;

/// <summary>
/// Reads <c>eval</c>'s state JSON (LANGUAGE.md, "progmp eval") into a scheduler state. Every field is
/// optional but a subflow's <c>id</c> and a packet's <c>seq</c>; anything unknown, missing or of the
/// wrong kind is an error naming its place, such as <c>state.subflows[1]: missing "id"</c>. Never throws
/// for bad input.
/// </summary>
internal static class EvalStateReader
{
    private static readonly string[] s_topKeys = ["timeMs", "random", "registers", "subflows", "q", "qu", "rq"];

    private static readonly string[] s_subflowKeys =
    [
        "id", "rtt", "rttVar", "cwnd", "ssthresh", "inFlight", "queued", "lost", "delayOut", "delayIn", "bwOutSend",
        "bwOutAck", "backup", "throttled", "lossy", "user", "window", "available",
    ];

    private static readonly string[] s_packetKeys = ["seq", "length", "user", "psh", "sentOn"];

    public static bool TryRead(string json, [NotNullWhen(true)] out EvalState? state, [NotNullWhen(false)] out string? error)
    {
        state = null;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            state = Read(document.RootElement);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = $"state: not valid JSON (line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}): {Shown(FirstSentence(e.Message), 100)}";
            return false;
        }
        catch (EvalStateException e)
        {
            error = e.Message;
            return false;
        }
    }

    private static EvalState Read(JsonElement root)
    {
        const string at = "state";
        ExpectObject(root, at, s_topKeys);
        var result = new EvalState
        {
            TimeMs = OptionalInteger(root, "timeMs", at, 0),
        };

        if (root.TryGetProperty("random", out var random))
        {
            var values = IntegerArray(random, $"{at}.random");
            if (values.Count == 0)
            {
                throw new EvalStateException($"{at}.random: needs at least one value");
            }

            for (var i = 0; i < values.Count; i++)
            {
                if (values[i] < 0)
                {
                    throw new EvalStateException($"{at}.random[{i}]: must not be negative");
                }
            }

            result.Random = values;
        }

        if (root.TryGetProperty("registers", out var registers))
        {
            var values = IntegerArray(registers, $"{at}.registers");
            if (values.Count != SchedulerState.RegisterCount)
            {
                throw new EvalStateException($"{at}.registers: needs exactly {SchedulerState.RegisterCount} values (R1 to R6), not {values.Count}");
            }

            values.CopyTo(result.State.Registers, 0);
        }

        ReadSubflows(root, result);
        var q = ReadPackets(root, "q", at);
        var qu = ReadPackets(root, "qu", at);
        var rq = ReadPackets(root, "rq", at);

        // A seq is one packet: in qu and rq together it is the same object (with qu's fields).
        var bySeq = new Dictionary<long, Packet>();
        foreach (var (packet, _) in qu)
        {
            bySeq[packet.Seq] = packet;
        }

        var qSeqs = new HashSet<long>();
        foreach (var (packet, path) in q)
        {
            if (bySeq.ContainsKey(packet.Seq) || rq.Any(r => r.Packet.Seq == packet.Seq))
            {
                throw new EvalStateException($"{path}: seq {packet.Seq.ToString(CultureInfo.InvariantCulture)} is also in qu or rq; data in Q is not yet taken");
            }

            qSeqs.Add(packet.Seq);
        }

        foreach (var (packet, _) in q.OrderBy(p => p.Packet.Seq))
        {
            result.State.Q.Add(Resolve(packet, result));
        }

        foreach (var (packet, _) in qu.OrderBy(p => p.Packet.Seq))
        {
            result.State.QU.Add(Resolve(packet, result));
        }

        foreach (var (packet, _) in rq)
        {
            result.State.RQ.Add(bySeq.TryGetValue(packet.Seq, out var shared) ? shared : Resolve(packet, result));
        }

        return result;
    }

    private static void ReadSubflows(JsonElement root, EvalState result)
    {
        if (!root.TryGetProperty("subflows", out var subflows))
        {
            return;
        }

        var at = "state.subflows";
        ExpectArray(subflows, at);
        if (subflows.GetArrayLength() > SubflowView.MaxSlots)
        {
            throw new EvalStateException($"{at}: at most {SubflowView.MaxSlots} subflows, not {subflows.GetArrayLength()}");
        }

        var slot = 0;
        foreach (var element in subflows.EnumerateArray())
        {
            var path = $"{at}[{slot}]";
            ExpectObject(element, path, s_subflowKeys);
            if (!element.TryGetProperty("id", out var idElement))
            {
                throw new EvalStateException($"{path}: missing \"id\"");
            }

            var id = Integer(idElement, $"{path}.id");
            if (result.SubflowsById.ContainsKey(id))
            {
                throw new EvalStateException($"{path}.id: subflow {id.ToString(CultureInfo.InvariantCulture)} appears twice");
            }

            var rtt = OptionalInteger(element, "rtt", path, 0);
            var subflow = new SubflowView(id, slot)
            {
                Rtt = rtt,
                RttVar = OptionalInteger(element, "rttVar", path, 0),
                Cwnd = OptionalInteger(element, "cwnd", path, 10),
                Ssthresh = OptionalInteger(element, "ssthresh", path, int.MaxValue),
                InFlight = OptionalInteger(element, "inFlight", path, 0),
                Queued = OptionalInteger(element, "queued", path, 0),
                Lost = OptionalInteger(element, "lost", path, 0),
                DelayOut = OptionalInteger(element, "delayOut", path, rtt / 2),
                DelayIn = OptionalInteger(element, "delayIn", path, rtt / 2),
                BwOutSend = OptionalInteger(element, "bwOutSend", path, 0),
                BwOutAck = OptionalInteger(element, "bwOutAck", path, 0),
                IsBackup = OptionalBoolean(element, "backup", path, false),
                Throttled = OptionalBoolean(element, "throttled", path, false),
                Lossy = OptionalBoolean(element, "lossy", path, false),
                WindowBytes = OptionalInteger(element, "window", path, int.MaxValue),
            };
            result.State.SubflowUser[slot] = OptionalInteger(element, "user", path, 0);
            result.SubflowsById.Add(id, subflow);
            result.SessionMask |= subflow.Bit;
            if (OptionalBoolean(element, "available", path, true))
            {
                result.Subflows.Add(subflow);
            }

            slot++;
        }
    }

    private static List<(Packet Packet, string Path)> ReadPackets(JsonElement root, string key, string at)
    {
        var packets = new List<(Packet, string)>();
        if (!root.TryGetProperty(key, out var list))
        {
            return packets;
        }

        var listPath = $"{at}.{key}";
        ExpectArray(list, listPath);
        var seen = new HashSet<long>();
        var index = 0;
        foreach (var element in list.EnumerateArray())
        {
            var path = $"{listPath}[{index++}]";
            ExpectObject(element, path, s_packetKeys);
            if (!element.TryGetProperty("seq", out var seqElement))
            {
                throw new EvalStateException($"{path}: missing \"seq\"");
            }

            var seq = Integer(seqElement, $"{path}.seq");
            if (!seen.Add(seq))
            {
                throw new EvalStateException($"{path}.seq: seq {seq.ToString(CultureInfo.InvariantCulture)} appears twice in {key}");
            }

            var packet = new EvalPacket(seq, OptionalInteger(element, "length", path, 1400), OptionalInteger(element, "user", path, 0), OptionalBoolean(element, "psh", path, false));
            if (element.TryGetProperty("sentOn", out var sentOn))
            {
                packet.SentOnIds = IntegerArray(sentOn, $"{path}.sentOn");
            }

            packets.Add((packet, path));
        }

        return packets;
    }

    /// <summary>Turns the sentOn ids into the slots of the state's subflows; ids not in the state have no effect.</summary>
    private static Packet Resolve(Packet packet, EvalState state)
    {
        if (packet is EvalPacket { SentOnIds: { } ids })
        {
            foreach (var id in ids)
            {
                if (state.SubflowsById.TryGetValue(id, out var subflow))
                {
                    packet.SentOnMask |= subflow.Bit;
                }
            }

            packet.TransmitCount = ids.Count;
        }

        return packet;
    }

    private static void ExpectObject(JsonElement element, string path, string[] allowedKeys)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new EvalStateException($"{path}: expected an object, not {Describe(element)}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(allowedKeys, property.Name) < 0)
            {
                throw new EvalStateException($"{path}: unknown key \"{Shown(property.Name, 40)}\" (known: {string.Join(", ", allowedKeys)})");
            }

            // JSON leaves a repeated key to the reader; which value counts would be a guess, so say so.
            if (!seen.Add(property.Name))
            {
                throw new EvalStateException($"{path}: key \"{property.Name}\" appears twice");
            }
        }
    }

    private static void ExpectArray(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new EvalStateException($"{path}: expected an array, not {Describe(element)}");
        }
    }

    private static long Integer(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            throw new EvalStateException($"{path}: expected an integer, not {Describe(element)}");
        }

        if (!element.TryGetInt64(out var value))
        {
            throw new EvalStateException($"{path}: {Shown(element.GetRawText(), 40)} is not a 64-bit integer");
        }

        return value;
    }

    private static List<long> IntegerArray(JsonElement element, string path)
    {
        ExpectArray(element, path);
        var values = new List<long>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            values.Add(Integer(item, $"{path}[{index++}]"));
        }

        return values;
    }

    private static long OptionalInteger(JsonElement parent, string key, string path, long fallback) =>
        parent.TryGetProperty(key, out var element) ? Integer(element, $"{path}.{key}") : fallback;

    private static bool OptionalBoolean(JsonElement parent, string key, string path, bool fallback)
    {
        if (!parent.TryGetProperty(key, out var element))
        {
            return fallback;
        }

        return element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new EvalStateException($"{path}.{key}: expected true or false, not {Describe(element)}"),
        };
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {Shown(element.GetRawText(), 40)}",
        JsonValueKind.True or JsonValueKind.False => $"{element.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>
    /// Text taken from the file, as an error shows it: control characters and undecodable bytes
    /// escaped, and cut after <paramref name="maxLength"/> characters, so that the error stays one
    /// readable line whatever the file holds.
    /// </summary>
    private static string Shown(string text, int maxLength)
    {
        var shown = new StringBuilder();
        foreach (var c in text)
        {
            if (shown.Length >= maxLength)
            {
                return shown.Append("...").ToString();
            }

            if (char.IsControl(c) || c == '\uFFFD' || char.IsSurrogate(c))
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                shown.Append(c);
            }
        }

        return shown.ToString();
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }

    /// <summary>A packet read from the state, keeping its sentOn ids until the subflows are known.</summary>
    private sealed class EvalPacket : Packet
    {
        public EvalPacket(long seq, long length, long user, bool psh)
            : base(seq, length, user, psh)
        {
        }

        public List<long>? SentOnIds { get; set; }
    }
}
