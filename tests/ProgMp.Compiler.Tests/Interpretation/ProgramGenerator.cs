using System.Globalization;
using System.Text;

namespace ProgMp.Compiler.Tests.Interpretation;

/// <summary>
/// Seeded random, well-typed ProgMp programs over the whole language, as source text. The generator
/// keeps its own table of names and types, scope by scope as the binder does, so that every program
/// it writes compiles; one that does not is a bug here, not in the compiler.
/// </summary>
/// <remarks>
/// Every operator and call is parenthesized where precedence could matter, so the text means what
/// the generator meant. NULL-typed values (the literal and <c>VAR x = NULL;</c>) go wherever a value
/// fits, never where a member is taken from them. POP appears only where the language allows it.
/// </remarks>
internal sealed class ProgramGenerator
{
    private const int MaxStatementDepth = 3;
    private const int MaxExpressionDepth = 3;

    private static readonly string[] s_intLiterals =
    [
        "0", "1", "2", "3", "5", "7", "10", "100", "1000", "1400", "65535",
        "9223372036854775807", "4611686018427387904", "3037000500", "(-1)", "(-2)", "(-7)", "(-1400)",
        "(-9223372036854775807)", "(-9223372036854775807 - 1)",
    ];

    private static readonly string[] s_divisors = ["0", "1", "(-1)", "2", "(-3)", "7", "NULL"];

    private static readonly string[] s_subflowIntProperties =
    [
        "ID", "RTT", "RTT_VAR", "RTT_MS", "DELAY_OUT", "DELAY_IN", "CWND", "SSTHRESH", "SKBS_IN_FLIGHT",
        "QUEUED", "LOST_SKBS", "BW_OUT_SEND", "BW_OUT_ACK", "USER",
    ];

    private static readonly string[] s_formatPieces =
    [
        "x", "n=", " ", "%d", "%u", "%%", "%", "%x", "%%d", "100% ", "\\t", "\\\"", "\\\\", "\\n", "a\\rb",
    ];

    private readonly Random _random;
    private readonly List<Dictionary<string, Kind>> _scopes = [];
    private readonly StringBuilder _text = new();
    private int _indent;
    private int _nextName;
    private int _budget;

    public ProgramGenerator(int seed)
    {
        _random = new Random(seed);
    }

    /// <summary>The types a generated expression can have; <see cref="Null"/> is the type of the literal NULL.</summary>
    private enum Kind
    {
        Integer,
        Boolean,
        Subflow,
        Packet,
        SubflowList,
        PacketList,
        Null,
    }

    public string Next(string name)
    {
        _text.Clear();
        _scopes.Clear();
        _indent = 0;
        _nextName = 0;
        _budget = _random.Next(3, 28);
        _text.Append("SCHEDULER ").Append(name).Append(";\n");
        _scopes.Add([]);
        var count = _random.Next(1, 9);
        for (var i = 0; i < count && _budget > 0; i++)
        {
            Statement(0);
        }

        return _text.ToString();
    }

    // Statements.
    private void Statement(int depth)
    {
        _budget--;
        var nested = depth < MaxStatementDepth;
        switch (Weighted(4, nested ? 2.5 : 0, nested ? 1.5 : 0, 3, 1, 1, 2, 1.5, 1, 0.4))
        {
            case 0:
                Var();
                break;
            case 1:
                If(depth);
                break;
            case 2:
                Foreach(depth);
                break;
            case 3:
                Line($"{Subflow(MaxExpressionDepth - 1, allowNull: false)}.PUSH({PacketOrPop()});");
                break;
            case 4:
                Line($"{Subflow(MaxExpressionDepth - 1, allowNull: false)}.SET_USER({Integer(MaxExpressionDepth)});");
                break;
            case 5:
                Line($"DROP({PacketOrPop()});");
                break;
            case 6:
                Line($"SET(R{_random.Next(1, 7)}, {Integer(MaxExpressionDepth)});");
                break;
            case 7:
                Print();
                break;
            case 8:
                Void();
                break;
            default:
                Line("RETURN;");
                break;
        }
    }

    private void Var()
    {
        string initializer;
        Kind kind;
        switch (_random.Next(9))
        {
            case 0:
                (initializer, kind) = (Integer(MaxExpressionDepth, allowNull: false), Kind.Integer);
                break;
            case 1:
                (initializer, kind) = (Boolean(MaxExpressionDepth, allowNull: false), Kind.Boolean);
                break;
            case 2:
                (initializer, kind) = (Subflow(MaxExpressionDepth, allowNull: false), Kind.Subflow);
                break;
            case 3:
                (initializer, kind) = (Packet(MaxExpressionDepth, allowNull: false), Kind.Packet);
                break;
            case 4:
                (initializer, kind) = (Pop(), Kind.Packet);
                break;
            case 5:
                (initializer, kind) = (SubflowList(MaxExpressionDepth), Kind.SubflowList);
                break;
            case 6:
                (initializer, kind) = (PacketList(MaxExpressionDepth), Kind.PacketList);
                break;
            case 7:
                (initializer, kind) = (Pick("Q", "QU", "RQ", "(Q)"), Kind.PacketList);
                break;
            default:
                (initializer, kind) = (NullValue(), Kind.Null);
                break;
        }

        var name = DeclarationName();
        _scopes[^1][name] = kind;
        Line($"VAR {name} = {initializer};");
    }

    private void If(int depth)
    {
        Line($"IF ({Boolean(MaxExpressionDepth)}) {{");
        Block(depth + 1);
        while (Chance(0.3))
        {
            Line($"}} ELSE IF ({Boolean(MaxExpressionDepth)}) {{");
            Block(depth + 1);
        }

        if (Chance(0.4))
        {
            Line("} ELSE {");
            Block(depth + 1);
        }

        Line("}");
    }

    private void Foreach(int depth)
    {
        var overPackets = Chance(0.6);
        var list = overPackets ? PacketList(MaxExpressionDepth - 1) : SubflowList(MaxExpressionDepth - 1);
        var name = DeclarationName();
        Line($"FOREACH (VAR {name} IN {list}) {{");
        Block(depth + 1, (name, overPackets ? Kind.Packet : Kind.Subflow));
        Line("}");
    }

    private void Block(int depth, (string Name, Kind Kind)? variable = null)
    {
        _scopes.Add([]);
        if (variable is { } v)
        {
            _scopes[^1][v.Name] = v.Kind;
        }

        _indent++;
        var count = _random.Next(0, 5);
        for (var i = 0; i < count && _budget > 0; i++)
        {
            Statement(depth);
        }

        _indent--;
        _scopes.RemoveAt(_scopes.Count - 1);
    }

    private void Print()
    {
        var format = new StringBuilder();
        var pieces = _random.Next(0, 5);
        for (var i = 0; i < pieces; i++)
        {
            format.Append(Pick(s_formatPieces));
        }

        format.Append(Pick("", "", "\\n", "\\r\\n", "\\n\\n"));
        var value = _random.Next(6) switch
        {
            0 => null,
            1 => Integer(MaxExpressionDepth),
            2 => Boolean(MaxExpressionDepth),
            3 => Subflow(MaxExpressionDepth),
            4 => Packet(MaxExpressionDepth),
            _ => Integer(1),
        };
        Line(value is null ? $"PRINT(\"{format}\");" : $"PRINT(\"{format}\", {value});");
    }

    private void Void()
    {
        var value = _random.Next(8) switch
        {
            0 => "",
            1 => Pop(),
            2 => Integer(MaxExpressionDepth),
            3 => Boolean(MaxExpressionDepth),
            4 => Subflow(MaxExpressionDepth),
            5 => Packet(MaxExpressionDepth),
            6 => SubflowList(MaxExpressionDepth),
            _ => PacketList(MaxExpressionDepth),
        };
        Line($"VOID({value});");
    }

    private string PacketOrPop() => Chance(0.35) ? Pop() : Packet(MaxExpressionDepth);

    /// <summary>POP on Q or RQ or a FILTER chain of them written in place, parentheses anywhere around.</summary>
    private string Pop()
    {
        var list = Pick("Q", "RQ");
        if (Chance(0.2))
        {
            list = $"({list})";
        }

        var filters = Chance(0.5) ? _random.Next(1, 3) : 0;
        for (var i = 0; i < filters; i++)
        {
            list = $"{list}.FILTER({Lambda(Kind.Packet, Kind.Boolean, MaxExpressionDepth - 1)})";
            if (Chance(0.2))
            {
                list = $"({list})";
            }
        }

        var pop = $"{list}.POP()";
        return Chance(0.15) ? $"({pop})" : pop;
    }

    // Expressions. Each gives text of the named type; with allowNull, sometimes a NULL-typed value.
    private string Integer(int depth, bool allowNull = true)
    {
        if (allowNull && Chance(0.06))
        {
            return NullValue();
        }

        if (depth <= 0 || Chance(0.3))
        {
            return Weighted(3, 1, 0.5, 0.7, Variables(Kind.Integer).Count > 0 ? 3 : 0) switch
            {
                0 => Pick(s_intLiterals),
                1 => $"R{_random.Next(1, 7)}",
                2 => "CURRENT_TIME_MS",
                3 => "RANDOM",
                _ => Variable(Kind.Integer),
            };
        }

        var d = depth - 1;
        return Weighted(1, 4, 1.5, 2.5, 1, 1) switch
        {
            0 => $"(-{Integer(d)})",
            1 => Arithmetic(d),
            2 => $"{Packet(d, allowNull: false)}.{Pick("SEQ", "LENGTH", "USER")}",
            3 => $"{Subflow(d, allowNull: false)}.{Pick(s_subflowIntProperties)}",
            4 => $"{AnyList(d)}.COUNT",
            _ => Chance(0.5)
                ? $"{PacketList(d)}.SUM({Lambda(Kind.Packet, Kind.Integer, d)})"
                : $"{SubflowList(d)}.SUM({Lambda(Kind.Subflow, Kind.Integer, d)})",
        };
    }

    private string Arithmetic(int depth)
    {
        var op = Pick("+", "-", "*", "/", "%");
        var left = Integer(depth);
        var right = op is "/" or "%" && Chance(0.4) ? Pick(s_divisors) : Integer(depth);
        return $"({left} {op} {right})";
    }

    private string Boolean(int depth, bool allowNull = true)
    {
        if (allowNull && Chance(0.06))
        {
            return NullValue();
        }

        if (depth <= 0 || Chance(0.25))
        {
            return Weighted(2, Variables(Kind.Boolean).Count > 0 ? 2 : 0) switch
            {
                0 => Pick("TRUE", "FALSE"),
                _ => Variable(Kind.Boolean),
            };
        }

        var d = depth - 1;
        return Weighted(1, 3, 2.5, 2, 2, 2, 1) switch
        {
            0 => $"(!{Boolean(d)})",
            1 => $"({Integer(d)} {Pick("<", "<=", ">", ">=")} {Integer(d)})",
            2 => Equality(d),
            3 => $"({Boolean(d)} {Pick("AND", "OR")} {Boolean(d)})",
            4 => _random.Next(3) switch
            {
                0 => $"{Packet(d, allowNull: false)}.PSH",
                1 => $"{Packet(d, allowNull: false)}.SENT_ON_ALL",
                _ => $"{Packet(d, allowNull: false)}.SENT_ON({Subflow(d)})",
            },
            5 => Chance(0.6)
                ? $"{Subflow(d, allowNull: false)}.{Pick("IS_BACKUP", "THROTTLED", "LOSSY")}"
                : $"{Subflow(d, allowNull: false)}.HAS_WINDOW_FOR({Packet(d)})",
            _ => $"{AnyList(d)}.EMPTY",
        };
    }

    /// <summary>== and != between two values of one type, or any value (lists too) and a NULL-typed one.</summary>
    private string Equality(int depth)
    {
        var op = Pick("==", "!=");
        string left, right;
        switch (_random.Next(6))
        {
            case 0:
                (left, right) = (Integer(depth), Integer(depth));
                break;
            case 1:
                (left, right) = (Boolean(depth), Boolean(depth));
                break;
            case 2:
                (left, right) = (Subflow(depth), Subflow(depth));
                break;
            case 3:
                (left, right) = (Packet(depth), Packet(depth));
                break;
            default:
                {
                    var value = _random.Next(7) switch
                    {
                        0 => Integer(depth),
                        1 => Boolean(depth),
                        2 => Subflow(depth),
                        3 => Packet(depth),
                        4 => SubflowList(depth),
                        5 => PacketList(depth),
                        _ => "NULL",
                    };
                    var nothing = NullValue();
                    (left, right) = Chance(0.5) ? (value, nothing) : (nothing, value);
                    break;
                }
        }

        return $"({left} {op} {right})";
    }

    private string Subflow(int depth, bool allowNull = true)
    {
        if (allowNull && Chance(0.08))
        {
            return NullValue();
        }

        var hasVariables = Variables(Kind.Subflow).Count > 0;
        if (depth <= 0)
        {
            return hasVariables && Chance(0.7) ? Variable(Kind.Subflow) : $"SUBFLOWS.GET({Pick("0", "1", "2")})";
        }

        var d = depth - 1;
        return Weighted(hasVariables ? 4 : 0, 2, 2) switch
        {
            0 => Variable(Kind.Subflow),
            1 => $"{SubflowList(d)}.GET({Index(d)})",
            _ => $"{SubflowList(d)}.{Pick("MIN", "MAX")}({Lambda(Kind.Subflow, Kind.Integer, d)})",
        };
    }

    private string Packet(int depth, bool allowNull = true)
    {
        if (allowNull && Chance(0.08))
        {
            return NullValue();
        }

        var hasVariables = Variables(Kind.Packet).Count > 0;
        if (depth <= 0)
        {
            return hasVariables && Chance(0.6) ? Variable(Kind.Packet) : Pick("Q.TOP", "QU.TOP", "RQ.TOP", "QU.GET(1)");
        }

        var d = depth - 1;
        return Weighted(hasVariables ? 4 : 0, 3, 2, 2) switch
        {
            0 => Variable(Kind.Packet),
            1 => $"{PacketList(d)}.TOP",
            2 => $"{PacketList(d)}.GET({Index(d)})",
            _ => $"{PacketList(d)}.{Pick("MIN", "MAX")}({Lambda(Kind.Packet, Kind.Integer, d)})",
        };
    }

    /// <summary>GET's index: mostly small, also negative, out of range, huge or NULL.</summary>
    private string Index(int depth) => Chance(0.6)
        ? Pick("0", "1", "2", "3", "(-1)", "100", "9223372036854775807", "(-9223372036854775807 - 1)", "4294967296", "NULL")
        : Integer(depth);

    private string SubflowList(int depth)
    {
        var hasVariables = Variables(Kind.SubflowList).Count > 0;
        if (depth <= 0)
        {
            return hasVariables && Chance(0.4) ? Variable(Kind.SubflowList) : "SUBFLOWS";
        }

        return Weighted(2, hasVariables ? 2 : 0, 3) switch
        {
            0 => "SUBFLOWS",
            1 => Variable(Kind.SubflowList),
            _ => $"{SubflowList(depth - 1)}.FILTER({Lambda(Kind.Subflow, Kind.Boolean, depth - 1)})",
        };
    }

    private string PacketList(int depth)
    {
        var hasVariables = Variables(Kind.PacketList).Count > 0;
        if (depth <= 0)
        {
            return hasVariables && Chance(0.4) ? Variable(Kind.PacketList) : Pick("Q", "QU", "RQ");
        }

        return Weighted(3, hasVariables ? 2 : 0, 3) switch
        {
            0 => Pick("Q", "QU", "RQ", "(QU)"),
            1 => Variable(Kind.PacketList),
            _ => $"{PacketList(depth - 1)}.FILTER({Lambda(Kind.Packet, Kind.Boolean, depth - 1)})",
        };
    }

    private string AnyList(int depth) => Chance(0.5) ? PacketList(depth) : SubflowList(depth);

    /// <summary><c>x => body</c>; the parameter is new or shadows a name in scope (an outer parameter too).</summary>
    private string Lambda(Kind element, Kind body, int depth)
    {
        var name = ShadowableName() is { } shadowed && Chance(0.2) ? shadowed : NewName("p");
        _scopes.Add(new Dictionary<string, Kind> { [name] = element });
        var text = body == Kind.Boolean ? Boolean(Math.Max(depth, 0)) : Integer(Math.Max(depth, 0));
        _scopes.RemoveAt(_scopes.Count - 1);
        return $"{name} => {text}";
    }

    /// <summary>The literal NULL, or a variable declared <c>VAR n = NULL;</c> when there is one.</summary>
    private string NullValue()
    {
        var variables = Variables(Kind.Null);
        return variables.Count > 0 && Chance(0.5) ? variables[_random.Next(variables.Count)] : "NULL";
    }

    // Names.
    private string DeclarationName()
    {
        if (Chance(0.15) && ShadowableName() is { } outer && !_scopes[^1].ContainsKey(outer))
        {
            return outer;
        }

        return NewName("v");
    }

    private string? ShadowableName()
    {
        var names = _scopes.SelectMany(s => s.Keys).Distinct().ToList();
        return names.Count == 0 ? null : names[_random.Next(names.Count)];
    }

    private string NewName(string prefix) => prefix + (_nextName++).ToString(CultureInfo.InvariantCulture);

    /// <summary>The names in scope whose innermost declaration has this type, innermost first.</summary>
    private List<string> Variables(Kind kind)
    {
        var seen = new HashSet<string>();
        var found = new List<string>();
        for (var i = _scopes.Count - 1; i >= 0; i--)
        {
            foreach (var (name, type) in _scopes[i])
            {
                if (seen.Add(name) && type == kind)
                {
                    found.Add(name);
                }
            }
        }

        return found;
    }

    /// <summary>A variable of the type, leaning towards the innermost (lambda parameters, loop variables).</summary>
    private string Variable(Kind kind)
    {
        var variables = Variables(kind);
        return Chance(0.4) ? variables[0] : variables[_random.Next(variables.Count)];
    }

    // Text and chance.
    private void Line(string line) => _text.Append(' ', _indent * 2).Append(line).Append('\n');

    private T Pick<T>(params T[] values) => values[_random.Next(values.Length)];

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private int Weighted(params double[] weights)
    {
        var total = weights.Sum();
        var x = _random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0 && weights[i] > 0)
            {
                return i;
            }
        }

        return Array.FindLastIndex(weights, w => w > 0);
    }
}
