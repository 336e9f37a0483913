using ProgMp.Engine;

namespace ProgMp.Proxy.Control;

// The control protocol's messages (docs/control.md), shared by the endpoint and `progmp ctl`: one
// family of small records, serialized through ControlJsonContext in camelCase.

/// <summary>Every error: the reason, and for a program that does not compile its diagnostics.</summary>
internal sealed record ErrorReply(string Error, IReadOnlyList<DiagnosticReport>? Diagnostics = null);

/// <summary>One compiler diagnostic; <see cref="Text"/> is the line <c>progmp check</c> prints.</summary>
internal sealed record DiagnosticReport(string Severity, string Code, string Message, string Path, int Line, int Column, string Text);

internal sealed record HealthReply(string Status, string Role, int Sessions, int Schedulers, string DefaultScheduler);

internal sealed record SchedulerReport(string Name, string? Path, bool IsDefault, IReadOnlyList<DiagnosticReport> Warnings);

internal sealed record SchedulerListReply(string DefaultScheduler, IReadOnlyList<long> DefaultRegisters, IReadOnlyList<SchedulerReport> Schedulers);

internal sealed record LoadReply(string Name, bool Replaced, IReadOnlyList<DiagnosticReport> Warnings);

internal sealed record RemoveReply(string Removed);

internal sealed record DefaultSchedulerReply(string DefaultScheduler);

internal sealed record DefaultRegisterReply(string Register, long Value, IReadOnlyList<long> DefaultRegisters);

/// <summary>One stream of one session.</summary>
internal sealed record StreamReference(string Session, uint Stream);

/// <summary>The streams a change reached (none when <c>all</c> found no open stream).</summary>
internal sealed record StreamChangeReply(IReadOnlyList<StreamReference> Changed);

/// <summary>The live sessions, and how often the host's peers reached each resource bound (absent from older endpoints).</summary>
internal sealed record SessionsReply(IReadOnlyList<SessionReport> Sessions, IReadOnlyList<LimitReport>? Limits = null);

/// <summary>One <see cref="ResourceLimit"/>, by its name, and the times peers reached it since the host started.</summary>
internal sealed record LimitReport(string Limit, long Hits);

internal sealed record SessionReport(
    string Id,
    bool IsClient,
    long SchedulerInvocations,
    long RefusedDrops,
    IReadOnlyList<PathReport> Paths,
    IReadOnlyList<SubflowReport> Subflows,
    IReadOnlyList<StreamReport> Streams);

/// <summary>A client's path; a server's side of a session has none.</summary>
internal sealed record PathReport(int Id, string Remote, string? Local, bool Backup, bool Removed);

/// <summary>
/// A subflow as <see cref="SubflowStatistics"/> describes it, plus rates: send and goodput from the
/// engine's last-second counters, receive from the endpoint's snapshots (absent until there are two).
/// </summary>
internal sealed record SubflowReport(
    long Id,
    int PathId,
    string? Local,
    string? Remote,
    SubflowState State,
    bool Backup,
    long RttMicroseconds,
    long RttVarMicroseconds,
    long MinRttMicroseconds,
    long DelayOutMicroseconds,
    long DelayInMicroseconds,
    long CongestionWindow,
    long InFlight,
    long Queued,
    long BytesSent,
    long BytesAcked,
    long BytesReceived,
    long RetransmittedBytes,
    long LostPackets,
    long SendBytesPerSecond,
    long GoodputBytesPerSecond,
    double? ReceiveBytesPerSecond);

/// <summary>A stream as <see cref="StreamStatistics"/> describes it, plus rates from the endpoint's snapshots.</summary>
internal sealed record StreamReport(
    uint Id,
    string Scheduler,
    long BytesWritten,
    long BytesAcked,
    long BytesRead,
    long RetransmittedBytes,
    long ReinjectedBytes,
    long ReorderedBytes,
    double MeanReorderWaitMilliseconds,
    double MaxReorderWaitMilliseconds,
    long DuplicateBytesReceived,
    long SchedulerInvocations,
    long RefusedDrops,
    IReadOnlyList<long> Registers,
    long QueuedPackets,
    long UnacknowledgedPackets,
    double? GoodputBytesPerSecond,
    double? ReadBytesPerSecond);

/// <summary>One stream's decision trace (<see cref="DecisionTrace"/>), and whose it is.</summary>
internal sealed record TraceReply(string Session, uint Stream, DecisionTrace Trace);

/// <summary>PUT …/trace: how many decisions to keep (<see cref="DecisionTrace.DefaultCapacity"/> when left out).</summary>
internal sealed record TraceRequest(int? Capacity = null);

internal sealed record PathAddReply(string Session, int Path, string Spec);

internal sealed record PathChangeReply(string Session, int Path, bool Backup, bool Removed);

internal sealed record CloseReply(string Closed, string? Reason);

internal sealed record ShutdownReply(string ShuttingDown);

/// <summary>POST /schedulers: the program text, and optionally the name it must declare and the file name its diagnostics carry.</summary>
internal sealed record LoadRequest(string Source, string? Name = null, string? Path = null);

/// <summary>PUT …/scheduler: the scheduler to run.</summary>
internal sealed record SchedulerChoiceRequest(string Name);

/// <summary>PUT …/registers/R<i>n</i>: the register's new value.</summary>
internal sealed record RegisterValueRequest(long Value);

/// <summary>POST /sessions/{session}/paths: where the new path goes, from where, and whether it is a backup.</summary>
internal sealed record PathAddRequest(string Remote, string? Local = null, bool Backup = false);

/// <summary>PUT /sessions/{session}/paths/{path}/backup.</summary>
internal sealed record PathBackupRequest(bool Backup);
