namespace ProgMp.Compiler.Binding;

internal enum SubflowProperty
{
    Id,
    Rtt,
    RttVar,
    RttMs,
    DelayOut,
    DelayIn,
    Cwnd,
    Ssthresh,
    SkbsInFlight,
    Queued,
    LostSkbs,
    BwOutSend,
    BwOutAck,
    IsBackup,
    Throttled,
    Lossy,
    User,
}
