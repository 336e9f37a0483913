using System.Collections.Concurrent;

namespace ProgMp.Runtime.Registry;

/// <summary>
/// The loaded schedulers, by name (ProgMP's <c>/proc</c> registry). Thread-safe: a program can be
/// replaced by name while streams run it, and each stream picks the new one up at its next decision.
/// </summary>
public sealed class SchedulerRegistry
{
    private readonly ConcurrentDictionary<string, SchedulerSlot> _slots = new(StringComparer.Ordinal);
    private readonly ISchedulerCompiler? _compiler;
    private readonly Lock _writeLock = new();

    /// <summary>Creates an empty registry.</summary>
    /// <param name="compiler">Needed by <see cref="Load"/> and <see cref="LoadFile"/>; null when programs arrive compiled.</param>
    public SchedulerRegistry(ISchedulerCompiler? compiler = null)
    {
        _compiler = compiler;
    }

    /// <summary>Raised after a name was added, replaced or removed (with that name).</summary>
    public event EventHandler<string>? Changed;

    /// <summary>The names of the loaded programs, sorted.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            var names = new List<string>();
            foreach (var (name, slot) in _slots)
            {
                if (slot.Program is not null)
                {
                    names.Add(name);
                }
            }

            names.Sort(StringComparer.Ordinal);
            return names;
        }
    }

    /// <summary>
    /// Compiles <paramref name="source"/> and, when it compiles, adds it under its <c>SCHEDULER</c> name,
    /// replacing a program of that name atomically. Returns the compilation with its diagnostics.
    /// </summary>
    public SchedulerCompilation Load(string source, string path = "<text>")
    {
        var compilation = Compile(source, path);
        if (compilation.Program is { } program)
        {
            Set(program);
        }

        return compilation;
    }

    /// <summary>
    /// Compiles <paramref name="source"/> with the registry's compiler and loads nothing: a host that must
    /// look at the program first (its name, its warnings) then hands it to <see cref="Set"/>.
    /// </summary>
    public SchedulerCompilation Compile(string source, string path = "<text>")
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(path);
        var compiler = _compiler ?? throw new InvalidOperationException("This registry was created without a compiler.");
        return compiler.Compile(source, path);
    }

    /// <summary>Reads and loads a <c>.progmp</c> file; see <see cref="Load"/>.</summary>
    public SchedulerCompilation LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Load(File.ReadAllText(path), path);
    }

    /// <summary>Adds a compiled program, or replaces the one with its name.</summary>
    public void Set(SchedulerProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        lock (_writeLock)
        {
            var slot = _slots.GetOrAdd(program.Name, static name => new SchedulerSlot(name));
            slot.Program = program;
            Interlocked.Increment(ref slot.Version);
        }

        Changed?.Invoke(this, program.Name);
    }

    /// <summary>Removes a program; streams running it fall back as their host decides. False if unknown.</summary>
    public bool Remove(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_writeLock)
        {
            if (!_slots.TryGetValue(name, out var slot) || slot.Program is null)
            {
                return false;
            }

            slot.Program = null;
            Interlocked.Increment(ref slot.Version);
        }

        Changed?.Invoke(this, name);
        return true;
    }

    /// <summary>The program loaded under <paramref name="name"/>, if any.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SchedulerProgram? program)
    {
        ArgumentNullException.ThrowIfNull(name);
        program = _slots.TryGetValue(name, out var slot) ? slot.Program : null;
        return program is not null;
    }

    /// <summary>True when a program is loaded under <paramref name="name"/>.</summary>
    public bool Contains(string name) => TryGet(name, out _);

    /// <summary>The slot for a name, created empty if needed: what a stream holds to follow replacements.</summary>
    internal SchedulerSlot GetSlot(string name) => _slots.GetOrAdd(name, static n => new SchedulerSlot(n));
}
