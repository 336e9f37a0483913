namespace ProgMp.Runtime.Registry;

/// <summary>
/// The place a name holds in a <see cref="SchedulerRegistry"/>. Streams keep the slot, not the program,
/// so a replacement reaches every running stream at its next decision. Slots live as long as the
/// registry: a removed name keeps an empty slot that a later load fills again.
/// </summary>
internal sealed class SchedulerSlot
{
    private SchedulerProgram? _program;

    public SchedulerSlot(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>The current program, or null when the name was removed.</summary>
    public SchedulerProgram? Program
    {
        get => Volatile.Read(ref _program);
        set => Volatile.Write(ref _program, value);
    }

    /// <summary>Bumped at every change, so that a holder can tell a new program by the same name.</summary>
    public int Version;
}
