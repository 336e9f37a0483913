using System.Globalization;

namespace ProgMp.Cli.Compare;

/// <summary>
/// Reads the line-oriented scenario format (docs/compare.md) and validates it, reporting every
/// problem at once, each with its file and line. Nothing partial is returned: a scenario with any
/// error is null.
/// </summary>
internal sealed class ScenarioParser
{
    public const int MaxPaths = 8;
    public const int MaxEvents = 1000;
    public const int MaxWorkloads = 8;
    public const int MaxNameLength = 40;
    public const int MaxObjects = 100;
    public const double MaxRateMbitPerSecond = 10_000;
    public const long MaxFlowBytes = 64L * 1024 * 1024;
    public const long MaxBulkBytes = 64L * 1024 * 1024 * 1024;
    public const long MaxQueueBytes = 1024L * 1024 * 1024;

    /// <summary>A receive window holds at least a few of the engine's default packets, and at most what a stream may ever buffer.</summary>
    public const long MinReceiveWindow = 16 * 1024;
    public const long MaxReceiveWindow = 64L * 1024 * 1024;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(1);

    private const string SettingNames = "rate, rate-in, rate-out, delay, delay-in, delay-out or queue";

    private readonly string _file;
    private readonly List<ScenarioDiagnostic> _diagnostics = [];
    private int _line;

    private ScenarioParser(string file)
    {
        _file = file;
    }

    /// <summary>Parses a scenario file's text; <paramref name="file"/> is the name its diagnostics carry.</summary>
    public static IReadOnlyList<ScenarioDiagnostic> Parse(string text, string file, out Scenario? scenario)
    {
        var parser = new ScenarioParser(file);
        scenario = parser.ParseScenario(text);
        if (parser._diagnostics.Count > 0)
        {
            scenario = null;
        }

        return parser._diagnostics;
    }

    /// <summary>Parses the words after <c>workload</c> given elsewhere than in a file (<c>--workload</c>); <paramref name="origin"/> names the source.</summary>
    public static IReadOnlyList<ScenarioDiagnostic> ParseWorkload(string text, string origin, out WorkloadSpec? workload)
    {
        var parser = new ScenarioParser(origin) { _line = 1 };
        workload = parser.ReadWorkload(Words(text));
        if (parser._diagnostics.Count > 0)
        {
            workload = null;
        }

        return parser._diagnostics;
    }

    private Scenario? ParseScenario(string text)
    {
        string? name = null;
        var description = "";
        TimeSpan? duration = null;
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var paths = new List<ScenarioPath>();
        var events = new List<ScenarioEvent>();
        var workloads = new List<WorkloadSpec>();
        var registers = new Dictionary<int, (long Value, int Line)>();
        int? receiveWindow = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            _line = i + 1;
            var words = Words(lines[i]);
            if (words.Count == 0)
            {
                continue;
            }

            var keyword = words[0];
            seen.Add(keyword);
            if (keyword is "name" or "description" or "duration" or "receive-window")
            {
                if (firstLine.TryGetValue(keyword, out var first))
                {
                    Error($"'{keyword}' is given twice (first at line {first})");
                    continue;
                }

                firstLine[keyword] = _line;
            }

            switch (keyword)
            {
                case "name":
                    name = ReadName(words);
                    break;
                case "description":
                    description = string.Join(' ', words.Skip(1));
                    break;
                case "duration":
                    duration = ReadDuration(words);
                    break;
                case "path":
                    if (ReadPath(words) is { } path)
                    {
                        if (paths.Find(p => p.Name == path.Name) is { } earlier)
                        {
                            Error($"path '{path.Name}' is declared twice (first at line {earlier.Line})");
                        }
                        else if (paths.Count == MaxPaths)
                        {
                            Error($"at most {MaxPaths} paths");
                        }
                        else
                        {
                            paths.Add(path);
                        }
                    }

                    break;
                case "at":
                    if (events.Count == MaxEvents)
                    {
                        Error($"at most {MaxEvents} events");
                    }
                    else if (ReadEvent(words) is { } scenarioEvent)
                    {
                        events.Add(scenarioEvent);
                    }

                    break;
                case "receive-window":
                    if (words.Count != 2)
                    {
                        Error("'receive-window' takes one size, e.g. 'receive-window 128KiB'");
                    }
                    else if (ReadSize(words[1], MinReceiveWindow, MaxReceiveWindow, "a receive window") is { } window)
                    {
                        receiveWindow = (int)window;
                    }

                    break;
                case "register":
                    if (ReadRegister(words) is { } register)
                    {
                        if (registers.TryGetValue(register.Key, out var earlier))
                        {
                            Error($"register R{register.Key} is set twice (first at line {earlier.Line})");
                        }
                        else
                        {
                            registers[register.Key] = (register.Value, _line);
                        }
                    }

                    break;
                case "workload":
                    if (workloads.Count == MaxWorkloads)
                    {
                        Error($"at most {MaxWorkloads} workloads");
                    }
                    else if (ReadWorkload(words.Skip(1).ToList()) is { } workload)
                    {
                        workloads.Add(workload);
                    }

                    break;
                default:
                    Error($"unknown keyword '{keyword}' (expected name, description, duration, path, at, register, receive-window or workload)");
                    break;
            }
        }

        _line = 1;
        if (!seen.Contains("duration"))
        {
            Error("no 'duration' line: say how long the scenario runs, e.g. 'duration 4s'");
        }

        // A missing line is worth a word; a line that was there but wrong already has its own.
        if (!seen.Contains("path"))
        {
            Error("no 'path' line: a scenario needs at least one path");
        }
        else if (paths.Count > 0 && paths.All(p => p.Later))
        {
            Error("every path is declared 'later': at least one must be there from the start");
        }

        if (!seen.Contains("workload"))
        {
            Error("no 'workload' line: say what the application does, e.g. 'workload bulk'");
        }

        var ordered = events.OrderBy(e => e.At).ToList();
        CheckEvents(ordered, paths, duration);
        return duration is { } length
            ? new Scenario(name ?? Path.GetFileNameWithoutExtension(_file), description, length, paths, ordered, workloads, Path.GetFileName(_file))
            {
                Registers = registers.OrderBy(r => r.Key).Select(r => KeyValuePair.Create(r.Key, r.Value.Value)).ToList(),
                ReceiveWindow = receiveWindow,
            }
            : null;
    }

    private void CheckEvents(List<ScenarioEvent> events, List<ScenarioPath> paths, TimeSpan? duration)
    {
        var present = paths.Where(p => !p.Later).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var added = new HashSet<string>(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            _line = e.Line;
            if (duration is { } end && e.At >= end)
            {
                Error($"event at {Describe(e.At)} is at or after the end of the scenario (duration {Describe(end)})");
            }

            if (paths.Find(p => p.Name == e.Path) is not { } path)
            {
                Error($"event on unknown path '{e.Path}' (paths: {(paths.Count == 0 ? "none" : string.Join(", ", paths.Select(p => p.Name)))})");
                continue;
            }

            switch (e.Kind)
            {
                case ScenarioEventKind.Add when !path.Later:
                    Error($"path '{e.Path}' is there from the start and cannot be added: declare it with 'later'");
                    break;
                case ScenarioEventKind.Add when !added.Add(e.Path):
                    Error($"path '{e.Path}' is added twice");
                    break;
                case ScenarioEventKind.Add:
                    present.Add(e.Path);
                    break;
                case ScenarioEventKind.Remove when !present.Remove(e.Path):
                    Error($"path '{e.Path}' is not in the session at {Describe(e.At)}, so it cannot be removed");
                    break;
                case ScenarioEventKind.Reset or ScenarioEventKind.Blackhole:
                    failed.Add(e.Path);
                    break;
                case ScenarioEventKind.Restore when !failed.Remove(e.Path):
                    Error($"path '{e.Path}' is not reset or blackholed at {Describe(e.At)}, so there is nothing to restore");
                    break;
            }
        }
    }

    private string? ReadName(List<string> words)
    {
        if (words.Count != 2 || !IsName(words[1]))
        {
            Error($"'name' takes one word of 1 to {MaxNameLength} letters, digits, '-', '_' or '.'");
            return null;
        }

        return words[1];
    }

    /// <summary><c>register R1 VALUE</c>: a register the scheduler reads, set on every stream; the value a whole number (what it means is the program's).</summary>
    private KeyValuePair<int, long>? ReadRegister(List<string> words)
    {
        if (words.Count != 3)
        {
            Error("'register' takes a register and a whole number, e.g. 'register R1 2500000'");
            return null;
        }

        if (words[1] is not ['R', >= '1' and <= '6'])
        {
            Error($"'{words[1]}' is not a register: R1 to R6");
            return null;
        }

        if (!long.TryParse(words[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Error($"'{words[2]}' is not a whole number (a register holds a 64-bit integer)");
            return null;
        }

        return KeyValuePair.Create(words[1][1] - '0', value);
    }

    private TimeSpan? ReadDuration(List<string> words)
    {
        if (words.Count != 2)
        {
            Error("'duration' takes one time, e.g. 'duration 4s'");
            return null;
        }

        if (ReadTime(words[1]) is not { } duration)
        {
            return null;
        }

        if (duration <= TimeSpan.Zero || duration > MaxDuration)
        {
            Error($"the duration must be above 0 and at most {Describe(MaxDuration)}");
            return null;
        }

        return duration;
    }

    private ScenarioPath? ReadPath(List<string> words)
    {
        if (words.Count < 2 || !IsName(words[1]))
        {
            Error($"'path' takes a name of 1 to {MaxNameLength} letters, digits, '-', '_' or '.', then its settings, e.g. 'path wifi rate 20mbit delay 10ms'");
            return null;
        }

        var name = words[1];
        var draft = new LinkDraft();
        bool backup = false, later = false;
        for (var i = 2; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "backup":
                    backup = true;
                    break;
                case "later":
                    later = true;
                    break;
                default:
                    // One reason per line: after the first, the rest of the line cannot be read reliably.
                    if (!ReadSetting(words, ref i, draft, $"path '{name}'", "backup or later"))
                    {
                        return null;
                    }

                    break;
            }
        }

        var rateOut = draft.RateOut ?? draft.Rate;
        var rateIn = draft.RateIn ?? draft.Rate;
        if (rateOut is null && rateIn is null)
        {
            Error($"path '{name}' has no rate");
            return null;
        }

        if (rateOut is null || rateIn is null)
        {
            Error($"path '{name}' has no rate for the {(rateOut is null ? "out" : "in")} direction (give 'rate' for both, or '{(rateOut is null ? "rate-out" : "rate-in")}')");
            return null;
        }

        var delayOut = draft.DelayOut ?? draft.Delay ?? TimeSpan.Zero;
        var delayIn = draft.DelayIn ?? draft.Delay ?? TimeSpan.Zero;
        return new ScenarioPath(name, new LinkSettings(rateOut.Value, delayOut, draft.Queue), new LinkSettings(rateIn.Value, delayIn, draft.Queue), backup, later, _line);
    }

    private ScenarioEvent? ReadEvent(List<string> words)
    {
        if (words.Count < 5 || words[2] != "path")
        {
            Error("an event reads 'at TIME path NAME WHAT', e.g. 'at 2s path wifi reset' or 'at 2s path wifi rate 5mbit'");
            return null;
        }

        if (ReadTime(words[1]) is not { } at)
        {
            return null;
        }

        var name = words[3];
        var what = words[4];
        ScenarioEventKind? simple = what switch
        {
            "reset" => ScenarioEventKind.Reset,
            "blackhole" => ScenarioEventKind.Blackhole,
            "restore" => ScenarioEventKind.Restore,
            "add" => ScenarioEventKind.Add,
            "remove" => ScenarioEventKind.Remove,
            _ => null,
        };
        if (simple is { } kind)
        {
            if (words.Count > 5)
            {
                Error($"'{what}' takes nothing after it, found '{words[5]}'");
                return null;
            }

            return new ScenarioEvent(at, name, kind, _line) { Label = $"{name} {what}" };
        }

        var draft = new LinkDraft();
        for (var i = 4; i < words.Count; i++)
        {
            if (!ReadSetting(words, ref i, draft, $"event on path '{name}'", "reset, blackhole, restore, add or remove"))
            {
                return null;
            }
        }

        return new ScenarioEvent(at, name, ScenarioEventKind.Change, _line)
        {
            RateOut = draft.RateOut ?? draft.Rate,
            RateIn = draft.RateIn ?? draft.Rate,
            DelayOut = draft.DelayOut ?? draft.Delay,
            DelayIn = draft.DelayIn ?? draft.Delay,
            QueueBytes = draft.Queue,
            Label = name + " " + string.Join(' ', words.Skip(4)),
        };
    }

    /// <summary>Reads the setting at <paramref name="i"/> and its value (advancing <paramref name="i"/> past it) into <paramref name="draft"/>.</summary>
    private bool ReadSetting(List<string> words, ref int i, LinkDraft draft, string what, string alternatives)
    {
        var key = words[i];
        if (key is not ("rate" or "rate-in" or "rate-out" or "delay" or "delay-in" or "delay-out" or "queue"))
        {
            Error($"{what}: unknown setting '{key}' (expected {SettingNames}, or {alternatives})");
            return false;
        }

        if (i + 1 >= words.Count)
        {
            Error($"{what}: '{key}' needs a value");
            return false;
        }

        if (!draft.Given.Add(key))
        {
            Error($"{what}: '{key}' is given twice");
            return false;
        }

        var value = words[++i];
        switch (key)
        {
            case "rate" or "rate-in" or "rate-out":
                if (ReadRate(value) is not { } rate)
                {
                    return false;
                }

                switch (key)
                {
                    case "rate":
                        draft.Rate = rate;
                        break;
                    case "rate-in":
                        draft.RateIn = rate;
                        break;
                    default:
                        draft.RateOut = rate;
                        break;
                }

                return true;
            case "queue":
                if (ReadSize(value, 1, MaxQueueBytes, "a queue") is not { } queue)
                {
                    return false;
                }

                draft.Queue = queue;
                return true;
            default:
                if (ReadTime(value) is not { } delay)
                {
                    return false;
                }

                if (delay > MaxDelay)
                {
                    Error($"{what}: a delay of at most {Describe(MaxDelay)}, not {value}");
                    return false;
                }

                switch (key)
                {
                    case "delay":
                        draft.Delay = delay;
                        break;
                    case "delay-in":
                        draft.DelayIn = delay;
                        break;
                    default:
                        draft.DelayOut = delay;
                        break;
                }

                return true;
        }
    }

    private WorkloadSpec? ReadWorkload(List<string> words)
    {
        var kinds = Enum.GetValues<WorkloadKind>();
        if (words.Count == 0 || kinds.FirstOrDefault(k => WorkloadSpec.NameOf(k) == words[0]) is var kind && WorkloadSpec.NameOf(kind) != words[0])
        {
            Error($"a workload is one of {string.Join(", ", kinds.Select(WorkloadSpec.NameOf))}{(words.Count == 0 ? "" : $", not '{words[0]}'")}");
            return null;
        }

        var spec = kind switch
        {
            WorkloadKind.Bulk => new WorkloadSpec(kind, _line),
            WorkloadKind.ShortFlows => new WorkloadSpec(kind, _line) { MinBytes = 1, MaxBytes = 200_000, Gap = TimeSpan.FromMilliseconds(100) },
            WorkloadKind.ConstantBitRate => new WorkloadSpec(kind, _line) { Interval = TimeSpan.FromMilliseconds(40) },
            WorkloadKind.Interactive => new WorkloadSpec(kind, _line) { MessageBytes = 200, Interval = TimeSpan.FromMilliseconds(100) },
            _ => new WorkloadSpec(kind, _line) { Objects = 20, MinBytes = 1000, MaxBytes = 300_000, Gap = TimeSpan.FromMilliseconds(500) },
        };
        string[] keys = kind switch
        {
            WorkloadKind.Bulk => ["size"],
            WorkloadKind.ShortFlows => ["sizes", "gap"],
            WorkloadKind.ConstantBitRate => ["rate", "interval"],
            WorkloadKind.Interactive => ["size", "interval"],
            _ => ["objects", "sizes", "gap"],
        };
        var what = $"workload {words[0]}";
        var given = new HashSet<string>(StringComparer.Ordinal);
        var ok = true;
        for (var i = 1; i < words.Count; i += 2)
        {
            var key = words[i];
            if (!keys.Contains(key))
            {
                Error($"{what}: unknown setting '{key}' (expected {string.Join(" or ", keys)})");
                return null;
            }

            if (i + 1 >= words.Count)
            {
                Error($"{what}: '{key}' needs a value");
                return null;
            }

            if (!given.Add(key))
            {
                Error($"{what}: '{key}' is given twice");
                return null;
            }

            var value = words[i + 1];
            switch (key)
            {
                case "size" when kind == WorkloadKind.Bulk:
                    spec = ReadSize(value, 1, MaxBulkBytes, "a size") is { } bulk ? spec with { Bytes = bulk } : null;
                    break;
                case "size":
                    spec = ReadSize(value, InteractiveWorkload.HeaderBytes, 64 * 1024, "a message size") is { } message ? spec with { MessageBytes = message } : null;
                    break;
                case "sizes":
                    spec = ReadSizeRange(value) is { } range ? spec with { MinBytes = range.Min, MaxBytes = range.Max } : null;
                    break;
                case "gap":
                    spec = ReadTime(value) is { } gap ? spec with { Gap = gap } : null;
                    break;
                case "interval":
                    spec = ReadTime(value) is { } interval && CheckInterval(interval, value) ? spec with { Interval = interval } : null;
                    break;
                case "rate":
                    spec = ReadRate(value) is { } rate ? spec with { RateMbitPerSecond = rate } : null;
                    break;
                default:
                    spec = ScenarioUnits.TryParseCount(value, out var objects) && objects is >= 1 and <= MaxObjects
                        ? spec with { Objects = objects }
                        : Fail<WorkloadSpec>($"{what}: 'objects' is a whole number from 1 to {MaxObjects}, not '{value}'");
                    break;
            }

            if (spec is null)
            {
                return null;
            }
        }

        if (kind == WorkloadKind.ConstantBitRate && !given.Contains("rate"))
        {
            Error($"{what}: needs a rate, e.g. 'workload cbr rate 4mbit'");
            ok = false;
        }

        return ok ? spec : null;
    }

    private bool CheckInterval(TimeSpan interval, string text)
    {
        if (interval >= MinInterval)
        {
            return true;
        }

        Error($"an interval of at least {Describe(MinInterval)}, not {text}");
        return false;
    }

    private TimeSpan? ReadTime(string text)
    {
        if (ScenarioUnits.TryParseTime(text, out var time))
        {
            return time;
        }

        Error($"'{text}' is not a time: expected a number followed by {ScenarioUnits.TimeUnits}");
        return null;
    }

    private double? ReadRate(string text)
    {
        if (!ScenarioUnits.TryParseRate(text, out var rate))
        {
            Error($"'{text}' is not a rate: expected a number followed by {ScenarioUnits.RateUnits}");
            return null;
        }

        if (!(rate > 0 && rate <= MaxRateMbitPerSecond))
        {
            Error($"a rate above 0 and at most {MaxRateMbitPerSecond / 1000:0} gbit, not {text}");
            return null;
        }

        return rate;
    }

    private long? ReadSize(string text, long min, long max, string what)
    {
        if (!ScenarioUnits.TryParseSize(text, out var bytes))
        {
            Error($"'{text}' is not a size: expected a whole number of bytes written with {ScenarioUnits.SizeUnits}");
            return null;
        }

        if (bytes < min || bytes > max)
        {
            Error(string.Create(CultureInfo.InvariantCulture, $"{what} from {min} B to {max} B, not {text}"));
            return null;
        }

        return bytes;
    }

    private (long Min, long Max)? ReadSizeRange(string text)
    {
        if (!ScenarioUnits.TryParseSizeRange(text, out var min, out var max))
        {
            Error($"'{text}' is not a size range: expected MIN-MAX with MIN at most MAX, each written with {ScenarioUnits.SizeUnitList} (e.g. 1B-200kB)");
            return null;
        }

        if (min < 1 || max > MaxFlowBytes)
        {
            Error(string.Create(CultureInfo.InvariantCulture, $"sizes from 1 B to {MaxFlowBytes} B, not {text}"));
            return null;
        }

        return (min, max);
    }

    private T? Fail<T>(string message)
        where T : class
    {
        Error(message);
        return null;
    }

    private void Error(string message) => _diagnostics.Add(new ScenarioDiagnostic(_file, _line, message));

    private static bool IsName(string text) =>
        text.Length is > 0 and <= MaxNameLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The words of a line, up to a word starting with '#' (a comment).</summary>
    private static List<string> Words(string line)
    {
        var words = new List<string>();
        foreach (var word in line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith('#'))
            {
                break;
            }

            words.Add(word);
        }

        return words;
    }

    /// <summary>A time as scenario files write it: <c>250ms</c>, <c>4s</c>, <c>1.5s</c>.</summary>
    public static string Describe(TimeSpan time) =>
        time.Ticks % TimeSpan.TicksPerSecond == 0 ? string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0}s")
        : string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:0.###}ms");

    /// <summary>A path's or an event's settings as one line gives them, before each direction is resolved.</summary>
    private sealed class LinkDraft
    {
        public HashSet<string> Given { get; } = new(StringComparer.Ordinal);

        public double? Rate { get; set; }

        public double? RateIn { get; set; }

        public double? RateOut { get; set; }

        public TimeSpan? Delay { get; set; }

        public TimeSpan? DelayIn { get; set; }

        public TimeSpan? DelayOut { get; set; }

        public long? Queue { get; set; }
    }
}
