namespace ProgMp.Engine.Subflows;

/// <summary>
/// Linux's congestion-avoidance state, <c>tcp_info.tcpi_ca_state</c> (enum tcp_ca_state): anything but
/// <see cref="Open"/> means the kernel has seen reordering or loss on the subflow (LOSSY).
/// </summary>
internal enum TcpCongestionState : byte
{
    Open = 0,
    Disorder = 1,
    Cwr = 2,
    Recovery = 3,
    Loss = 4,
}
