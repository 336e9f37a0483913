namespace ProgMp.Engine.Subflows;

/// <summary>Linux's TCP connection states as <c>tcp_info.tcpi_state</c> reports them (include/net/tcp_states.h).</summary>
internal enum KernelTcpState : byte
{
    Unknown = 0,
    Established = 1,
    SynSent = 2,
    SynReceived = 3,
    FinWait1 = 4,
    FinWait2 = 5,
    TimeWait = 6,
    Close = 7,
    CloseWait = 8,
    LastAck = 9,
    Listen = 10,
    Closing = 11,
    NewSynReceived = 12,
}
