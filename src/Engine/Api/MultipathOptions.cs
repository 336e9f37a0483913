using ProgMp.Runtime.Registry;

namespace ProgMp.Engine;

/// <summary>How a session behaves: its schedulers, packet size, windows and timeouts. Shared by both ends' hosts.</summary>
public sealed class MultipathOptions
{
    /// <summary>The loaded schedulers streams can run; a stream follows a replacement by name at its next decision.</summary>
    public SchedulerRegistry Registry { get; init; } = new();

    /// <summary>The scheduler a new stream runs, and the one a stream falls back to when its own is removed.</summary>
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

    /// <summary>Payload bytes per packet (the scheduler's unit), 1 to 65 536; like an MSS by default.</summary>
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

    /// <summary>An idle subflow is pinged this often, so its RTT stays fresh and a silent failure shows.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Each step of a setup or join handshake must complete within this.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first and the longest wait before a client opens a failed path again (doubling in between).</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A session with no subflow for this long is closed.</summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Streams the peer may have open at once; more are refused.</summary>
    public int MaxStreams { get; init; } = 65536;

    /// <summary>The highest stream id this side opens; below the wire's own end only so tests can reach it quickly.</summary>
    internal uint LastStreamId { get; init; } = uint.MaxValue;

    /// <summary>The bounds on what a peer can make this host spend, and how often each was reached.</summary>
    public MultipathLimits Limits { get; init; } = new();

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
        ArgumentNullException.ThrowIfNull(Registry, nameof(Registry));
        ArgumentNullException.ThrowIfNull(Limits, nameof(Limits));
        ArgumentException.ThrowIfNullOrEmpty(DefaultScheduler, nameof(DefaultScheduler));
    }
}
