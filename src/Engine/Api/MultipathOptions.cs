using ProgMp.Runtime.Registry;

namespace ProgMp.Engine;

/// <summary>How a session behaves: its schedulers, packet size, windows and timeouts. Shared by both ends' hosts.</summary>
public sealed class MultipathOptions
{
    /// <summary>
    /// The loaded schedulers streams can run; a stream follows a replacement by name at its next decision.
    /// Empty unless set: <c>ProgMp.Compiler.SchedulerLibrary.CreateRegistry()</c> gives one with the
    /// library (<see cref="DefaultScheduler"/> among it) and a compiler for programs of your own.
    /// </summary>
    public SchedulerRegistry Registry { get; init; } = new();

    /// <summary>
    /// The scheduler a new stream runs, and the one a stream falls back to when its own is removed;
    /// <see cref="Registry"/> must hold it when a listener or client is made.
    /// </summary>
    public string DefaultScheduler { get; set; } = "minRtt";

    private readonly long[] _defaultRegisters = new long[Runtime.Execution.SchedulerState.RegisterCount];

    /// <summary>Sets register R<paramref name="register"/> (1–6) for streams opened or accepted from now on.</summary>
    public void SetDefaultRegister(int register, long value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(register, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(register, _defaultRegisters.Length);
        lock (_defaultRegisters)
        {
            _defaultRegisters[register - 1] = value;
        }
    }

    /// <summary>R1–R6 as new streams start with them.</summary>
    public IReadOnlyList<long> DefaultRegisters
    {
        get
        {
            lock (_defaultRegisters)
            {
                return _defaultRegisters.ToArray();
            }
        }
    }

    internal void CopyDefaultRegisters(long[] registers)
    {
        lock (_defaultRegisters)
        {
            _defaultRegisters.CopyTo(registers, 0);
        }
    }

    /// <summary>
    /// Payload bytes per packet (the scheduler's unit), 1 to 65 536; like an MSS by default. On fast
    /// paths bulk writes go in segments of several packet sizes (about 1 ms of sending, at most 64 KiB),
    /// each counted as that many packets in a subflow's figures (docs/language.md, "Packets").
    /// </summary>
    public int PacketSize { get; init; } = 1400;

    /// <summary>Bytes a stream's receiver holds at most (in order for the application plus out of order): the window it advertises.</summary>
    public int ReceiveWindow { get; init; } = 4 * 1024 * 1024;

    /// <summary>Bytes a stream's writer may have unacknowledged before a write waits.</summary>
    public int SendBufferLimit { get; init; } = 4 * 1024 * 1024;

    /// <summary>Payload bytes a subflow's queue takes before the subflow is THROTTLED.</summary>
    public int SubflowQueueBytes { get; init; } = 64 * 1024;

    /// <summary>The most a subflow's send loop writes to its socket in one call.</summary>
    public int SendBufferBytes { get; init; } = 256 * 1024;

    /// <summary>TCP_NOTSENT_LOWAT for subflow sockets: unsent bytes the kernel holds, so the scheduler decides late.</summary>
    public int NotSentLowWatermark { get; init; } = 32 * 1024;

    /// <summary>The least data-level timeout before an unanswered subflow is suspected (DESIGN.md: 50 ms).</summary>
    public TimeSpan SuspectTimeoutFloor { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a suspected subflow may stay silent before it is closed for good.</summary>
    public TimeSpan DeadTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// While data moves, a subflow that carries none of it is pinged this often, so its RTT stays fresh
    /// for the scheduler and a silent failure shows.
    /// </summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// In a quiet session (no data sent or received for a second) every subflow is pinged this often
    /// instead of <see cref="PingInterval"/>, and no timer runs in between: an idle session costs next
    /// to nothing. A path that dies silently while idle is suspected within this interval plus the
    /// data-level timeout; data written meanwhile is timed as usual.
    /// </summary>
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A connection's whole handshake (TLS, then setup or join) must complete within this, or the connection is dropped.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first wait before a client opens a failed path again; it doubles with each failure up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait before a client opens a failed path again (see <see cref="ReconnectMinDelay"/>).</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a session lives without any subflow: paths that come back within it carry on with
    /// nothing lost; after it every stream fails (<see cref="ResetReason.Timeout"/>) and the session ends.
    /// </summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Closing gracefully (disposing a stream after <see cref="MultipathStream.CompleteWrites"/>, or
    /// disposing the session) lets the written data finish, as closing a TCP socket does; a stream whose
    /// peer acknowledges nothing for this long is then reset (<see cref="ResetReason.Timeout"/>), so
    /// the peer sees an error, never a short stream. <see cref="TimeSpan.Zero"/> makes closing abortive.
    /// </summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How subflows are authenticated and encrypted; required, so that no host runs unprotected by
    /// accident: <see cref="MultipathSecurity.Tls"/>, or <see cref="MultipathSecurity.InsecurePlaintext"/>
    /// to opt out. A listener or client constructed without it throws <see cref="ArgumentException"/>.
    /// </summary>
    public MultipathSecurity? Security { get; init; }

    /// <summary>The highest stream id this side opens; below the wire's own end only so tests can reach it quickly.</summary>
    internal uint LastStreamId { get; init; } = uint.MaxValue;

    /// <summary>The bounds on what a peer can make this host spend, and how often each was reached.</summary>
    public MultipathLimits Limits { get; init; } = new();

    /// <summary>The window a new stream starts with, as <c>SETUP</c>/<c>SETUP_ACK</c> announce it (<see cref="MultipathLimits.InitialStreamWindow"/>, within <see cref="ReceiveWindow"/>).</summary>
    internal uint InitialWindow => (uint)Math.Min(ReceiveWindow, Limits.InitialStreamWindow);

    /// <summary>PRINT lines a session logs per second at most.</summary>
    public int PrintLinesPerSecond { get; init; } = 20;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(PacketSize, 1, nameof(PacketSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PacketSize, Wire.WireFormat.MaxDataPayload, nameof(PacketSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReceiveWindow, PacketSize, nameof(ReceiveWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(SendBufferLimit, PacketSize, nameof(SendBufferLimit));
        ArgumentOutOfRangeException.ThrowIfLessThan(SendBufferBytes, PacketSize + 64, nameof(SendBufferBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(SubflowQueueBytes, 1, nameof(SubflowQueueBytes));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(KeepaliveInterval, TimeSpan.Zero, nameof(KeepaliveInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PingInterval, TimeSpan.Zero, nameof(PingInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(Linger, TimeSpan.Zero, nameof(Linger));
        ArgumentOutOfRangeException.ThrowIfLessThan(SessionIdleTimeout, TimeSpan.Zero, nameof(SessionIdleTimeout));
        ArgumentNullException.ThrowIfNull(Registry, nameof(Registry));
        ArgumentNullException.ThrowIfNull(Limits, nameof(Limits));
        Limits.Validate();
        ArgumentException.ThrowIfNullOrEmpty(DefaultScheduler, nameof(DefaultScheduler));

        // Without it every stream would wait for a scheduler forever and send nothing.
        if (!Registry.Contains(DefaultScheduler))
        {
            var loaded = Registry.Names is { Count: > 0 } names ? "it holds " + string.Join(", ", names) : "it is empty";
            throw new ArgumentException(
                $"The default scheduler '{DefaultScheduler}' is not in MultipathOptions.Registry ({loaded}), so no stream could send. " +
                $"Set Registry = SchedulerLibrary.CreateRegistry() (namespace ProgMp.Compiler) for the built-in library, or load a program named '{DefaultScheduler}' into the registry, or choose a loaded one as DefaultScheduler.",
                nameof(DefaultScheduler));
        }
    }
}
